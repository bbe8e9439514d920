import { BuilderError } from '../builder-error.js';
import { describeNode, elementKinds, kindOf } from '../elements/element-kinds.js';
import { asFeelExpression } from '../elements/expressions.js';
import type { FlowModel, NodeModel, ScopeModel } from '../model/process-model.js';
import type { IdRegistry } from './id-registry.js';

function isCompensationBoundary(node: NodeModel): boolean {
  return node.kind === 'boundaryEvent' && node.eventDefinition?.kind === 'compensation';
}

/** What the caller said about the next sequence flow before its target is known. */
interface PendingFlow {
  id?: string;
  name?: string;
  condition?: string;
  isDefault: boolean;
}

/**
 * The mutable heart of the fluent API for one scope: the element the next one connects to, and the
 * options of the flow between them. Everything is checked as early as it can be, so an error points at
 * the builder call that caused it; checks that need the whole graph run in validate-process.ts.
 */
export class ScopeCursor {
  private current: NodeModel | undefined;
  private pending: PendingFlow = { isDefault: false };

  constructor(
    private readonly scope: ScopeModel,
    private readonly ids: IdRegistry,
  ) {}

  /** Adds `node`, connected from the current element unless it starts a new path, and moves to it. */
  add(node: NodeModel): void {
    const kind = kindOf(node);
    this.ids.check(node.id, kind.description);
    if (this.current !== undefined && isCompensationBoundary(this.current) && kind.acceptsIncoming) {
      this.addHandler(this.current, node);
      return;
    }
    const source = kind.acceptsIncoming ? this.current : undefined;
    if (!kind.acceptsIncoming && this.hasPending()) {
      throw new BuilderError(
        `${kind.description} '${node.id}' starts a new path and cannot take the pending ${this.describePending()}`,
        node.id,
      );
    }
    if (source !== undefined) this.checkCanLeave(source, node);
    if (source !== undefined && this.pending.id === node.id) {
      throw new BuilderError(
        `duplicate id '${node.id}': already chosen for the sequence flow into it`,
        node.id,
      );
    }
    this.ids.reserve(node.id, kind.description);
    this.scope.nodes.set(node.id, node);
    if (source !== undefined) this.connect(source, node);
    this.current = node;
  }

  /**
   * Adds a boundary event on its host (`node.attachedTo`), which must be an activity of this scope, and
   * moves to it: what follows leaves from the boundary event.
   */
  addBoundary(node: NodeModel): void {
    const hostId = node.attachedTo!;
    const host = this.scope.nodes.get(hostId);
    if (host === undefined) {
      throw new BuilderError(
        `boundary event '${node.id}' is attached to '${hostId}', which does not exist in this scope yet`,
        node.id,
      );
    }
    const hostKind = kindOf(host);
    if (!hostKind.isActivity || host.isForCompensation) {
      throw new BuilderError(
        `boundary event '${node.id}' cannot be attached to ${describeNode(host)}: only activities ` +
          `(tasks, sub-processes, call activities) carry boundary events`,
        node.id,
      );
    }
    this.add(node);
  }

  /** Adds `node` outside every path (an event sub-process); the current element stays current. */
  addDetached(node: NodeModel): void {
    const kind = kindOf(node);
    this.requireNoPending(`${kind.description} '${node.id}'`);
    this.ids.reserve(node.id, kind.description);
    this.scope.nodes.set(node.id, node);
  }

  /** The id of the current element: the default host of a boundary event. */
  get currentId(): string | undefined {
    return this.current?.id;
  }

  /** Adds a flow from the current element to the existing element `targetId`, and moves there. */
  connectTo(targetId: string): void {
    const target = this.existing(targetId, 'connectTo');
    const source = this.requireCurrent(`connectTo('${targetId}')`);
    const kind = kindOf(target);
    if (!kind.acceptsIncoming) {
      throw new BuilderError(
        `cannot connect '${source.id}' to ${kind.description} '${target.id}': it takes no incoming flow`,
        target.id,
      );
    }
    this.checkCanLeave(source, target);
    this.connect(source, target);
    this.current = target;
  }

  /** Forgets the current element: the next one begins a path of its own (an ad-hoc sub-process's activity). */
  newPath(): void {
    this.requireNoPending('newPath()');
    this.current = undefined;
  }

  /** Continues from the existing element `id`, typically to add another branch of a gateway. */
  moveTo(id: string): void {
    this.requireNoPending(`moveToNode('${id}')`);
    this.current = this.existing(id, 'moveToNode');
  }

  /**
   * Continues from the nearest gateway before the current element, walking back along incoming flows
   * the way Camunda's Java builder does; an element with several incoming flows makes it ambiguous.
   */
  moveToLastGateway(): void {
    const start = this.requireCurrent('moveToLastGateway()');
    this.requireNoPending('moveToLastGateway()');
    const seen = new Set<string>([start.id]);
    let node = start;
    for (;;) {
      const incoming = this.scope.flows.filter((f) => f.targetId === node.id);
      if (incoming.length !== 1) {
        const why = incoming.length === 0 ? 'nothing leads to it' : 'it has several incoming flows';
        throw new BuilderError(
          `moveToLastGateway(): no unique gateway before '${start.id}' (stopped at '${node.id}': ${why}); ` +
            `use moveToNode(id)`,
          start.id,
        );
      }
      node = this.scope.nodes.get(incoming[0].sourceId)!;
      if (elementKinds[node.kind].isGateway) break;
      if (seen.has(node.id)) {
        throw new BuilderError(`moveToLastGateway(): no gateway before '${start.id}'`, start.id);
      }
      seen.add(node.id);
    }
    this.current = node;
  }

  /** Sets the condition of the next flow, which must leave a gateway that evaluates conditions. */
  condition(expression: string, name?: string): void {
    const source = this.requireCurrent('condition()');
    const kind = elementKinds[source.kind];
    if (!kind.conditionalOutgoing) {
      throw new BuilderError(
        `a condition on a flow leaving ${kind.description} '${source.id}' is not allowed: ` +
          `only exclusive and inclusive gateways choose their outgoing flows by condition`,
        source.id,
      );
    }
    if (this.pending.isDefault) {
      throw new BuilderError(`the default flow of '${source.id}' cannot also have a condition`, source.id);
    }
    this.pending.condition = asFeelExpression(expression, source.id, 'the condition');
    if (name !== undefined) this.pending.name = name;
  }

  /** Marks the next flow as the default flow of the current gateway. */
  defaultFlow(name?: string): void {
    const source = this.requireCurrent('defaultFlow()');
    const kind = elementKinds[source.kind];
    if (!kind.defaultOutgoing) {
      throw new BuilderError(
        `a default flow on ${kind.description} '${source.id}' is not allowed: only exclusive and inclusive ` +
          `gateways have one`,
        source.id,
      );
    }
    if (this.pending.condition !== undefined) {
      throw new BuilderError(`the default flow of '${source.id}' cannot also have a condition`, source.id);
    }
    const existing = this.scope.flows.find((f) => f.sourceId === source.id && f.isDefault);
    if (existing) {
      throw new BuilderError(`'${source.id}' already has a default flow ('${existing.id}')`, source.id);
    }
    this.pending.isDefault = true;
    if (name !== undefined) this.pending.name = name;
  }

  /** Names the id of the next flow instead of letting the builder generate one. */
  flowId(id: string): void {
    this.ids.check(id, 'sequence flow');
    this.pending.id = id;
  }

  /** Throws if options were given for a flow that was never drawn. */
  finish(): void {
    if (this.hasPending()) {
      const from = this.current ? ` after '${this.current.id}'` : '';
      throw new BuilderError(
        `a ${this.describePending()} was set${from} but no flow follows it`,
        this.current?.id ?? this.pending.id,
      );
    }
  }

  private connect(source: NodeModel, target: NodeModel): void {
    const id = this.pending.id ?? this.freeFlowId(source.id, target.id);
    this.ids.reserve(id, 'sequence flow');
    const flow: FlowModel = {
      id,
      sourceId: source.id,
      targetId: target.id,
      name: this.pending.name,
      condition: this.pending.condition,
      isDefault: this.pending.isDefault,
    };
    this.scope.flows.push(flow);
    this.pending = { isDefault: false };
  }

  // Derived from the endpoints rather than a counter, so ids stay stable when unrelated steps change.
  private freeFlowId(sourceId: string, targetId: string): string {
    const base = `Flow_${sourceId}_${targetId}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    return id;
  }

  // The activity after a compensation boundary event is its handler, linked by an association.
  private addHandler(boundary: NodeModel, node: NodeModel): void {
    const kind = kindOf(node);
    if (this.hasPending()) {
      throw new BuilderError(
        `the handler of compensation boundary event '${boundary.id}' is linked by an association, ` +
          `not a sequence flow, so it cannot take the pending ${this.describePending()}`,
        boundary.id,
      );
    }
    if (!kind.isActivity) {
      throw new BuilderError(
        `compensation boundary event '${boundary.id}' is followed by its handler, which must be an ` +
          `activity; got ${kind.description} '${node.id}'`,
        boundary.id,
      );
    }
    if (this.scope.associations.some((a) => a.sourceId === boundary.id)) {
      throw new BuilderError(
        `compensation boundary event '${boundary.id}' already has a handler`,
        boundary.id,
      );
    }
    this.ids.reserve(node.id, kind.description);
    const handler: NodeModel = { ...node, isForCompensation: true };
    this.scope.nodes.set(handler.id, handler);
    const base = `Association_${boundary.id}_${handler.id}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.reserve(id, 'association');
    this.scope.associations.push({ id, sourceId: boundary.id, targetId: handler.id });
    this.current = handler;
  }

  private checkCanLeave(source: NodeModel, target: NodeModel): void {
    const kind = kindOf(source);
    if (!kind.acceptsOutgoing) {
      throw new BuilderError(
        `cannot continue from ${describeNode(source)} to '${target.id}': it takes no outgoing flow ` +
          `(use moveToNode(id) to start another branch)`,
        source.id,
      );
    }
  }

  private existing(id: string, call: string): NodeModel {
    const node = this.scope.nodes.get(id);
    if (!node) throw new BuilderError(`${call}('${id}'): no element with id '${id}' exists yet`, id);
    return node;
  }

  private requireCurrent(call: string): NodeModel {
    if (!this.current) throw new BuilderError(`${call} needs a preceding element; add a start event first`);
    return this.current;
  }

  private requireNoPending(call: string): void {
    if (this.hasPending()) {
      throw new BuilderError(
        `${call}: the ${this.describePending()} set after '${this.current?.id}' would be lost; ` +
          `set it after moving`,
        this.current?.id,
      );
    }
  }

  private hasPending(): boolean {
    const p = this.pending;
    return p.id !== undefined || p.name !== undefined || p.condition !== undefined || p.isDefault;
  }

  private describePending(): string {
    const p = this.pending;
    if (p.condition !== undefined) return `condition '${p.condition}'`;
    if (p.isDefault) return 'default flow';
    return `sequence flow id '${p.id ?? ''}'`;
  }
}
