import type { EndEventOptions } from '../elements/end-event.js';
import { createEndEvent } from '../elements/end-event.js';
import type { ExclusiveGatewayOptions } from '../elements/exclusive-gateway.js';
import { createExclusiveGateway } from '../elements/exclusive-gateway.js';
import type { ManualTaskOptions } from '../elements/manual-task.js';
import { createManualTask } from '../elements/manual-task.js';
import type { ParallelGatewayOptions } from '../elements/parallel-gateway.js';
import { createParallelGateway } from '../elements/parallel-gateway.js';
import type { ScriptTaskOptions } from '../elements/script-task.js';
import { createScriptTask } from '../elements/script-task.js';
import type { ServiceTaskOptions } from '../elements/service-task.js';
import { createServiceTask } from '../elements/service-task.js';
import type { StartEventOptions } from '../elements/start-event.js';
import { createStartEvent } from '../elements/start-event.js';
import type { TaskOptions } from '../elements/task.js';
import { createTask } from '../elements/task.js';
import type { NodeModel } from '../model/process-model.js';
import type { IdRegistry } from './id-registry.js';
import type { ScopeCursor } from './scope-cursor.js';

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

  /** Adds a none start event. It begins a new path: nothing flows into it. */
  startEvent(id?: string, options?: StartEventOptions): this {
    return this.add(createStartEvent(id ?? this.ids.generate('StartEvent'), options));
  }

  /** Adds a none end event. Nothing can follow it; use `moveToNode`/`moveToLastGateway` to go on. */
  endEvent(id?: string, options?: EndEventOptions): this {
    return this.add(createEndEvent(id ?? this.ids.generate('EndEvent'), options));
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

  /** Adds an exclusive gateway; give its outgoing flows a `condition` or make one the `defaultFlow`. */
  exclusiveGateway(id?: string, options?: ExclusiveGatewayOptions): this {
    return this.add(createExclusiveGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /** Adds a parallel gateway: a fork when it has several outgoing flows, a join with several incoming. */
  parallelGateway(id?: string, options?: ParallelGatewayOptions): this {
    return this.add(createParallelGateway(id ?? this.ids.generate('Gateway'), options));
  }

  /**
   * Gives the next flow, which must leave the current exclusive gateway, a FEEL condition
   * (`'= amount > 100'`; the `=` is added when missing).
   */
  condition(expression: string, options: FlowOptions = {}): this {
    this.cursor.condition(expression, options.name);
    return this;
  }

  /** Makes the next flow the current exclusive gateway's default: taken when no condition holds. */
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
}
