import type { BoundaryEventOptions } from '../elements/boundary-event.js';
import { createBoundaryEvent } from '../elements/boundary-event.js';
import type { BusinessRuleTaskOptions } from '../elements/business-rule-task.js';
import { createBusinessRuleTask } from '../elements/business-rule-task.js';
import type { CallActivityOptions } from '../elements/call-activity.js';
import { createCallActivity } from '../elements/call-activity.js';
import type { EndEventOptions } from '../elements/end-event.js';
import { createEndEvent } from '../elements/end-event.js';
import type { EventBasedGatewayOptions } from '../elements/event-based-gateway.js';
import { createEventBasedGateway } from '../elements/event-based-gateway.js';
import type { EventSubProcessOptions } from '../elements/event-sub-process.js';
import { createEventSubProcess } from '../elements/event-sub-process.js';
import type { ExclusiveGatewayOptions } from '../elements/exclusive-gateway.js';
import { createExclusiveGateway } from '../elements/exclusive-gateway.js';
import type { InclusiveGatewayOptions } from '../elements/inclusive-gateway.js';
import { createInclusiveGateway } from '../elements/inclusive-gateway.js';
import type { IntermediateCatchEventOptions } from '../elements/intermediate-catch-event.js';
import { createIntermediateCatchEvent } from '../elements/intermediate-catch-event.js';
import type { IntermediateThrowEventOptions } from '../elements/intermediate-throw-event.js';
import { createIntermediateThrowEvent } from '../elements/intermediate-throw-event.js';
import type { ManualTaskOptions } from '../elements/manual-task.js';
import { createManualTask } from '../elements/manual-task.js';
import type { ParallelGatewayOptions } from '../elements/parallel-gateway.js';
import { createParallelGateway } from '../elements/parallel-gateway.js';
import type { ReceiveTaskOptions } from '../elements/receive-task.js';
import { createReceiveTask } from '../elements/receive-task.js';
import type { ScriptTaskOptions } from '../elements/script-task.js';
import { createScriptTask } from '../elements/script-task.js';
import type { SendTaskOptions } from '../elements/send-task.js';
import { createSendTask } from '../elements/send-task.js';
import type { ServiceTaskOptions } from '../elements/service-task.js';
import { createServiceTask } from '../elements/service-task.js';
import type { StartEventOptions } from '../elements/start-event.js';
import { createStartEvent } from '../elements/start-event.js';
import type { AdHocSubProcessOptions } from '../elements/ad-hoc-sub-process.js';
import { createAdHocSubProcess } from '../elements/ad-hoc-sub-process.js';
import type { SubProcessOptions } from '../elements/sub-process.js';
import { createSubProcess } from '../elements/sub-process.js';
import type { TaskOptions } from '../elements/task.js';
import { createTask } from '../elements/task.js';
import type { UserTaskOptions } from '../elements/user-task.js';
import { createUserTask } from '../elements/user-task.js';
import { BuilderError } from '../builder-error.js';
import type { NodeModel, ScopeModel } from '../model/process-model.js';
import { emptyScope } from '../model/process-model.js';
import type { IdRegistry } from './id-registry.js';
import { ScopeCursor } from './scope-cursor.js';

/** Draws the inner flow of a sub-process on the builder it is handed. */
export type ScopeBuild = (scope: FlowBuilder) => unknown;

/** Options of a flow chosen by condition or as the default: its label in the diagram. */
export interface FlowOptions {
  readonly name?: string;
}

/**
 * The fluent API for drawing the flow of one scope. Each element method adds the element, connects it
 * from the current element (unless it starts a path) and makes it current, so a chain of calls reads
 * like the diagram. Branches are drawn by moving back to a gateway; joins and loops by `connectTo`.
 *
 * The builder is mutable: every method changes it and returns it. Problems throw a `BuilderError`
 * naming the element, either at the call that causes them or when the process is finished.
 */
export class FlowBuilder {
  /** @internal */
  protected constructor(
    protected readonly cursor: ScopeCursor,
    protected readonly ids: IdRegistry,
  ) {}

  /**
   * Adds a start event: none, or (`options`) timer, message or signal; in an event sub-process also
   * error or escalation, interrupting or not. It begins a new path: nothing flows into it.
   */
  startEvent(id?: string, options?: StartEventOptions): this {
    return this.add(createStartEvent(id ?? this.ids.generate('StartEvent'), options));
  }

  /**
   * Adds an end event: none, or error, escalation, terminate, signal, compensation or message (a job).
   * Nothing can follow it; use `moveToNode`/`moveToLastGateway` to go on.
   */
  endEvent(id?: string, options?: EndEventOptions): this {
    return this.add(createEndEvent(id ?? this.ids.generate('EndEvent'), options));
  }

  /**
   * Adds an intermediate catch event that waits for a timer, a message (with its correlation key), a
   * signal, or is the target of a link (then it starts a new path, as nothing flows into it).
   */
  intermediateCatchEvent(id: string, options: IntermediateCatchEventOptions): this {
    return this.add(createIntermediateCatchEvent(id, options));
  }

  /**
   * Adds an intermediate throw event: none (a milestone), signal, escalation, compensation, message (a
   * job) or link (which jumps to its catch event, so nothing follows it here).
   */
  intermediateThrowEvent(id?: string, options?: IntermediateThrowEventOptions): this {
    return this.add(createIntermediateThrowEvent(id ?? this.ids.generate('Event'), options));
  }

  /**
   * Attaches a boundary event to `options.attachedTo` (by default the current element, which must be an
   * activity) and continues from it: the next element is where the path goes when the event occurs.
   * After a compensation boundary event the next element is its handler, an activity linked by an
   * association; continue elsewhere with `moveToNode`.
   */
  boundaryEvent(id: string, options: BoundaryEventOptions): this {
    const hostId = options?.attachedTo ?? this.cursor.currentId;
    if (hostId === undefined) {
      throw new BuilderError(`boundary event '${id}' needs an activity to attach to`, id);
    }
    this.cursor.addBoundary(createBoundaryEvent(id, hostId, options));
    return this;
  }

  /** Adds an undefined task, which Zeebe passes straight through. */
  task(id: string, options?: TaskOptions): this {
    return this.add(createTask(id, options));
  }

  /** Adds a manual task, which Zeebe passes straight through. */
  manualTask(id: string, options?: ManualTaskOptions): this {
    return this.add(createManualTask(id, options));
  }

  /** Adds a service task whose job of `options.type` is done by a worker. */
  serviceTask(id: string, options: ServiceTaskOptions): this {
    return this.add(createServiceTask(id, options));
  }

  /** Adds a script task that evaluates a FEEL expression into `options.resultVariable`. */
  scriptTask(id: string, options: ScriptTaskOptions): this {
    return this.add(createScriptTask(id, options));
  }

  /** Adds a send task: a job of `options.type` whose worker sends the message. */
  sendTask(id: string, options: SendTaskOptions): this {
    return this.add(createSendTask(id, options));
  }

  /** Adds a receive task that waits for `options.message` (name and correlation key). */
  receiveTask(id: string, options: ReceiveTaskOptions): this {
    return this.add(createReceiveTask(id, options));
  }

  /**
   * Adds a user task: a Camunda user task (`zeebe:userTask`) with its assignment, schedule and form, or
   * with `jobWorker: true` a job for a tasklist worker.
   */
  userTask(id: string, options?: UserTaskOptions): this {
    return this.add(createUserTask(id, options));
  }

  /** Adds a business rule task: a DMN decision (`decisionId`, `resultVariable`) or a job (`type`). */
  businessRuleTask(id: string, options: BusinessRuleTaskOptions): this {
    return this.add(createBusinessRuleTask(id, options));
  }

  /** Adds a call activity that starts process `options.processId` and waits for it. */
  callActivity(id: string, options: CallActivityOptions): this {
    return this.add(createCallActivity(id, options));
  }

  /**
   * Adds an embedded sub-process and draws its inner flow with `build`, which gets a builder of its own
   * (begin it with a none start event); then continues from the sub-process.
   *
   * ```ts
   * .subProcess('ship', (sub) => sub.startEvent().serviceTask('pack', { type: 'pack' }).endEvent())
   * ```
   */
  subProcess(id: string, build: ScopeBuild): this;
  subProcess(id: string, options: SubProcessOptions, build: ScopeBuild): this;
  subProcess(id: string, second: SubProcessOptions | ScopeBuild, third?: ScopeBuild): this {
    const [options, build] = typeof second === 'function' ? [{}, second] : [second, third];
    const scope = emptyScope();
    this.cursor.add(createSubProcess(id, options, scope));
    this.drawScope(id, scope, build);
    return this;
  }

  /**
   * Adds an ad-hoc sub-process and draws its inner elements with `build` (no start or end events): each
   * element without an incoming flow can be activated on its own; `newPath()` begins the next one instead of
   * connecting it. Then continues from the sub-process.
   *
   * ```ts
   * .adHocSubProcess('tools', { activeElementsCollection: '= toolsToCall' }, (tools) =>
   *   tools.serviceTask('search', { type: 'search' }).serviceTask('summarise', { type: 'summarise' })
   *     .newPath().serviceTask('ask', { type: 'ask' }))
   * ```
   */
  adHocSubProcess(id: string, build: ScopeBuild): this;
  adHocSubProcess(id: string, options: AdHocSubProcessOptions, build: ScopeBuild): this;
  adHocSubProcess(id: string, second: AdHocSubProcessOptions | ScopeBuild, third?: ScopeBuild): this {
    const [options, build] = typeof second === 'function' ? [{}, second] : [second, third];
    const scope = emptyScope();
    this.cursor.add(createAdHocSubProcess(id, options, scope));
    this.drawScope(id, scope, build);
    return this;
  }

  /**
   * Inside an ad-hoc sub-process: the next element begins a path of its own (no flow into it), so it can be
   * activated on its own. Elsewhere such an element would be unreachable.
   */
  newPath(): this {
    this.cursor.newPath();
    return this;
  }

  /**
   * Adds an event sub-process, drawn by `build` from its one start event with an event definition.
   * It is on no path, so the current element stays what it was.
   */
  eventSubProcess(id: string, build: ScopeBuild): this;
  eventSubProcess(id: string, options: EventSubProcessOptions, build: ScopeBuild): this;
  eventSubProcess(id: string, second: EventSubProcessOptions | ScopeBuild, third?: ScopeBuild): this {
    const [options, build] = typeof second === 'function' ? [{}, second] : [second, third];
    const scope = emptyScope();
    this.cursor.addDetached(createEventSubProcess(id, options, scope));
    this.drawScope(id, scope, build);
    return this;
  }

  /** Adds an exclusive gateway; give its outgoing flows a `condition` or make one the `defaultFlow`. */
  exclusiveGateway(id?: string, options?: ExclusiveGatewayOptions): this {
    return this.add(createExclusiveGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /** Adds a parallel gateway: a fork when it has several outgoing flows, a join with several incoming. */
  parallelGateway(id?: string, options?: ParallelGatewayOptions): this {
    return this.add(createParallelGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /**
   * Adds an inclusive gateway: as a fork it takes every flow whose `condition` holds (or the
   * `defaultFlow`); as a join it waits for the paths that can still arrive.
   */
  inclusiveGateway(id?: string, options?: InclusiveGatewayOptions): this {
    return this.add(createInclusiveGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /**
   * Adds an event-based gateway; draw one branch per event to a message, timer or signal catch event
   * or a receive task. The first event to occur decides the path.
   */
  eventBasedGateway(id?: string, options?: EventBasedGatewayOptions): this {
    return this.add(createEventBasedGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /**
   * Gives the next flow, which must leave the current exclusive or inclusive gateway, a FEEL condition
   * (`'= amount > 100'`; the `=` is added when missing).
   */
  condition(expression: string, options: FlowOptions = {}): this {
    this.cursor.condition(expression, options.name);
    return this;
  }

  /** Makes the next flow the current exclusive or inclusive gateway's default: taken when no condition holds. */
  defaultFlow(options: FlowOptions = {}): this {
    this.cursor.defaultFlow(options.name);
    return this;
  }

  /** Sets the id of the next flow; otherwise it is `Flow_<source>_<target>`. */
  sequenceFlowId(id: string): this {
    this.cursor.flowId(id);
    return this;
  }

  /** Continues from the existing element `id`, e.g. to draw another branch of a gateway. */
  moveToNode(id: string): this {
    this.cursor.moveTo(id);
    return this;
  }

  /** Continues from the nearest gateway before the current element, to draw its next branch. */
  moveToLastGateway(): this {
    this.cursor.moveToLastGateway();
    return this;
  }

  /**
   * Draws a flow from the current element to the existing element `id` and continues from there:
   * how branches join a gateway and how loops go back.
   */
  connectTo(id: string): this {
    this.cursor.connectTo(id);
    return this;
  }

  private add(node: NodeModel): this {
    this.cursor.add(node);
    return this;
  }

  // A nested scope shares the id registry: BPMN ids are unique across the whole document.
  private drawScope(id: string, scope: ScopeModel, build: ScopeBuild | undefined): void {
    if (typeof build !== 'function') {
      throw new BuilderError(`'${id}' needs a function that draws its inner flow`, id);
    }
    const inner = new FlowBuilder(new ScopeCursor(scope, this.ids), this.ids);
    build(inner);
    inner.cursor.finish();
  }
}
