import { KeyGenerator } from '../keys.js';
import type { DecisionRecordValue } from '../records/decision.js';
import type { TimerRecordValue } from '../records/timer.js';
import type { MessageSubscriptionRecordValue } from '../records/message.js';
import type { SignalSubscriptionRecordValue } from '../records/signal.js';
import { DueDateIndex } from './due-date-index.js';
import type { DueItem } from './due-date-index.js';
import { WaitState } from './wait-state.js';
import { FormState } from './form-state.js';
import { BatchOperationState } from './batch-operation-state.js';
import { KeyMultimap, bagAdd, bagRemove, bagValues } from './key-multimap.js';
import { variableSize } from './json-size.js';
import { ElementInstance } from './element-instance.js';
import type {
  CompensationSubscription,
  Incident,
  Job,
  ProcessDefinition,
  ReadonlyEngineState,
  UserTask,
} from './types.js';

/**
 * The working state of one partition, held in memory. Processors see it through `ReadonlyEngineState`;
 * only appliers (one per event, in `appliers/`) call the mutating methods.
 */
export class EngineState implements ReadonlyEngineState {
  readonly keys: KeyGenerator;
  /** Position of the last record applied (or written) on this partition. */
  lastPosition = 0;

  private readonly processesByKey = new Map<string, ProcessDefinition>();
  private readonly processVersions = new Map<string, ProcessDefinition[]>();
  private readonly elementInstances = new Map<string, ElementInstance>();
  /**
   * Variables of scopes whose element instance is not activated yet (a new process instance's, written just
   * before it activates); an element instance keeps its own in `variables`, as a plain object: far lighter
   * than a Map for the usual handful.
   */
  private readonly pendingVariables = new Map<string, Record<string, unknown>>();
  /** Per process instance: the size of its variables as JSON (`instanceVariableBytes`); derived, not saved. */
  private readonly variableBytes = new Map<string, number>();
  private readonly jobs = new Map<string, Job>();
  private readonly activatable = new Map<string, Set<string>>();
  private readonly dueDates = new DueDateIndex((item) => this.isCurrent(item));
  readonly waits = new WaitState(this.dueDates, (key) => this.elementInstances.get(key));
  readonly forms = new FormState();
  readonly batchOperations = new BatchOperationState();
  private readonly incidents = new Map<string, Incident>();
  private readonly openUserTasks = new Map<string, UserTask>();
  private readonly decisionsByKey = new Map<string, DecisionRecordValue>();
  private readonly latestDecisions = new Map<string, DecisionRecordValue>();
  private readonly compensations = new Map<string, CompensationSubscription>();
  private readonly compensationsByScope = new KeyMultimap();
  private readonly incidentsByElement = new Map<string, string>();
  private readonly incidentsByJob = new Map<string, string>();
  private readonly awaitingResult = new Map<string, { fetchVariables: readonly string[] }>();
  /** Per source partition: the position of the last message or signal handed over from it. */
  private readonly handOvers = new Map<number, number>();

  constructor(readonly partitionId: number) {
    this.keys = new KeyGenerator(partitionId);
  }

  // ---- reads ----

  processByKey(key: string): ProcessDefinition | undefined {
    return this.processesByKey.get(key);
  }

  latestProcess(bpmnProcessId: string): ProcessDefinition | undefined {
    const versions = this.processVersions.get(bpmnProcessId);
    return versions?.[versions.length - 1];
  }

  processByIdAndVersion(bpmnProcessId: string, version: number): ProcessDefinition | undefined {
    return this.processVersions.get(bpmnProcessId)?.find((p) => p.version === version);
  }

  processByIdAndVersionTag(bpmnProcessId: string, versionTag: string): ProcessDefinition | undefined {
    return this.processVersions.get(bpmnProcessId)?.findLast((p) => p.executable.versionTag === versionTag);
  }

  processes(): Iterable<ProcessDefinition> {
    return this.processesByKey.values();
  }

  latestProcesses(): ProcessDefinition[] {
    return [...this.processVersions.values()].map((versions) => versions[versions.length - 1]!);
  }

  elementInstance(key: string): ElementInstance | undefined {
    return this.elementInstances.get(key);
  }

  childrenOf(flowScopeKey: string): ElementInstance[] {
    return bagValues(this.elementInstances.get(flowScopeKey)?.children);
  }

  localVariables(scopeKey: string): Readonly<Record<string, unknown>> | undefined {
    const instance = this.elementInstances.get(scopeKey);
    return instance ? instance.variables : this.pendingVariables.get(scopeKey);
  }

  visibleVariables(scopeKey: string): Record<string, unknown> {
    // One lookup per scope on the way up (this runs for every job activation and expression).
    const chain: Record<string, unknown>[] = [];
    for (let key: string | undefined = scopeKey; key !== undefined && key !== '-1';) {
      const instance = this.elementInstances.get(key);
      const local = instance ? instance.variables : this.pendingVariables.get(key);
      if (local) chain.push(local);
      key = instance?.flowScopeKey;
    }
    const out: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) {
      const local = chain[i]!;
      for (const name of Object.keys(local)) {
        if (name === '__proto__')
          Object.defineProperty(out, name, {
            value: local[name],
            writable: true,
            enumerable: true,
            configurable: true,
          });
        else out[name] = local[name];
      }
    }
    return out;
  }

  scopeDefining(scopeKey: string, name: string): string | undefined {
    for (let key: string | undefined = scopeKey; key !== undefined && key !== '-1';) {
      const instance = this.elementInstances.get(key);
      const local = instance ? instance.variables : this.pendingVariables.get(key);
      if (local && Object.hasOwn(local, name)) return key;
      key = instance?.flowScopeKey;
    }
    return undefined;
  }

  job(key: string): Job | undefined {
    return this.jobs.get(key);
  }

  activatableJobs(type: string): Iterable<string> {
    return this.activatable.get(type) ?? [];
  }

  hasActivatableJobs(type: string): boolean {
    return (this.activatable.get(type)?.size ?? 0) > 0;
  }

  incident(key: string): Incident | undefined {
    return this.incidents.get(key);
  }

  runningInstancesOf(processDefinitionKey: string): number {
    let count = 0;
    for (const instance of this.elementInstances.values()) {
      if (instance.flowScopeKey === '-1' && instance.processDefinitionKey === processDefinitionKey) count++;
    }
    return count;
  }

  removeProcess(key: string): void {
    const definition = this.processesByKey.get(key);
    if (!definition) return;
    this.processesByKey.delete(key);
    const versions = (this.processVersions.get(definition.bpmnProcessId) ?? []).filter((p) => p.key !== key);
    if (versions.length > 0) this.processVersions.set(definition.bpmnProcessId, versions);
    else this.processVersions.delete(definition.bpmnProcessId);
  }

  removeDecision(key: string): void {
    const decision = this.decisionsByKey.get(key);
    if (!decision) return;
    this.decisionsByKey.delete(key);
    if (this.latestDecisions.get(decision.decisionId)?.decisionKey !== key) return;
    this.latestDecisions.delete(decision.decisionId);
    for (const other of this.decisionsByKey.values())
      if (other.decisionId === decision.decisionId) this.putDecision(other);
  }

  decisionByKey(key: string): DecisionRecordValue | undefined {
    return this.decisionsByKey.get(key);
  }

  latestDecision(decisionId: string): DecisionRecordValue | undefined {
    return this.latestDecisions.get(decisionId);
  }

  decisions(): Iterable<DecisionRecordValue> {
    return this.decisionsByKey.values();
  }

  putDecision(decision: DecisionRecordValue): void {
    this.decisionsByKey.set(decision.decisionKey, decision);
    const latest = this.latestDecisions.get(decision.decisionId);
    if (!latest || latest.version < decision.version) this.latestDecisions.set(decision.decisionId, decision);
  }

  userTask(key: string): UserTask | undefined {
    return this.openUserTasks.get(key);
  }

  userTasks(): Iterable<UserTask> {
    return this.openUserTasks.values();
  }

  putUserTask(task: UserTask): void {
    this.openUserTasks.set(task.key, task);
    const element = this.elementInstances.get(task.value.elementInstanceKey);
    if (element) element.userTaskKey = task.key;
  }

  removeUserTask(key: string): void {
    const task = this.openUserTasks.get(key);
    if (!task) return;
    this.openUserTasks.delete(key);
    const element = this.elementInstances.get(task.value.elementInstanceKey);
    if (element?.userTaskKey === key) element.userTaskKey = undefined;
  }

  compensationsIn(flowScopeKey: string): CompensationSubscription[] {
    return this.compensationsByScope.get(flowScopeKey).map((key) => this.compensations.get(key)!);
  }

  putCompensation(subscription: CompensationSubscription): void {
    this.compensations.set(subscription.key, subscription);
    this.compensationsByScope.add(subscription.value.flowScopeKey, subscription.key);
  }

  removeCompensation(key: string): void {
    const subscription = this.compensations.get(key);
    if (!subscription) return;
    this.compensations.delete(key);
    this.compensationsByScope.remove(subscription.value.flowScopeKey, key);
  }

  openIncidents(): Iterable<Incident> {
    return this.incidents.values();
  }

  awaitedResult(processInstanceKey: string): { readonly fetchVariables: readonly string[] } | undefined {
    return this.awaitingResult.get(processInstanceKey);
  }

  incidentOfElementInstance(elementInstanceKey: string): Incident | undefined {
    const key = this.incidentsByElement.get(elementInstanceKey);
    return key === undefined ? undefined : this.incidents.get(key);
  }

  incidentOfJob(jobKey: string): Incident | undefined {
    const key = this.incidentsByJob.get(jobKey);
    return key === undefined ? undefined : this.incidents.get(key);
  }

  dueItems(now: number, limit: number): DueItem[] {
    return this.dueDates.due(now, limit);
  }

  nextDueDate(): number | undefined {
    return this.dueDates.next();
  }

  /** Whether an entry of the due-date index still describes the state (entries are dropped lazily). */
  private isCurrent(item: DueItem): boolean {
    switch (item.kind) {
      case 'JOB_TIME_OUT': {
        const job = this.jobs.get(item.key);
        return job?.state === 'ACTIVATED' && job.value.deadline === item.due;
      }
      case 'JOB_BACKOFF': {
        const job = this.jobs.get(item.key);
        return job?.state === 'BACKOFF' && job.value.recurringTime === item.due;
      }
      case 'TIMER':
        return this.waits.timers.get(item.key)?.dueDate === item.due;
      case 'MESSAGE_EXPIRY':
        return this.waits.messages.get(item.key)?.value.deadline === item.due;
    }
  }

  get counts() {
    return {
      elementInstances: this.elementInstances.size,
      jobs: this.jobs.size,
      incidents: this.incidents.size,
    };
  }

  // ---- writes: for appliers only ----

  putProcess(definition: ProcessDefinition): void {
    if (this.processesByKey.has(definition.key)) return;
    this.processesByKey.set(definition.key, definition);
    const versions = this.processVersions.get(definition.bpmnProcessId) ?? [];
    versions.push(definition);
    versions.sort((a, b) => a.version - b.version);
    this.processVersions.set(definition.bpmnProcessId, versions);
  }

  putElementInstance(instance: ElementInstance): void {
    this.elementInstances.set(instance.key, instance);
    const pending = this.pendingVariables.get(instance.key);
    if (pending) {
      instance.variables = pending;
      this.pendingVariables.delete(instance.key);
    }
    const scope = this.elementInstances.get(instance.flowScopeKey);
    if (scope) scope.children = bagAdd(scope.children, instance);
  }

  removeElementInstance(key: string): void {
    const instance = this.elementInstances.get(key);
    if (!instance) return;
    const owner = instance.value.processInstanceKey;
    if (owner === key) this.variableBytes.delete(key);
    else if (instance.variables) {
      let size = 0;
      for (const [name, value] of Object.entries(instance.variables)) size += variableSize(name, value);
      const left = (this.variableBytes.get(owner) ?? 0) - size;
      if (left > 0) this.variableBytes.set(owner, left);
      else this.variableBytes.delete(owner);
    }
    this.elementInstances.delete(key);
    this.pendingVariables.delete(key);
    const scope = this.elementInstances.get(instance.flowScopeKey);
    if (scope) scope.children = bagRemove(scope.children, instance);
  }

  /**
   * The size of all variables of a process instance as JSON (names and values, every scope), kept as they
   * are set and removed; 0 for an unknown instance.
   */
  instanceVariableBytes(processInstanceKey: string): number {
    return this.variableBytes.get(processInstanceKey) ?? 0;
  }

  /**
   * Sets a variable on a scope. `processInstanceKey` is the scope's instance (for the instance's variable
   * size); when absent it is the scope's own element instance's, or the scope itself (a process instance
   * whose variables are set before it is).
   */
  setVariable(scopeKey: string, name: string, value: unknown, processInstanceKey?: string): void {
    const instance = this.elementInstances.get(scopeKey);
    let local = instance ? instance.variables : this.pendingVariables.get(scopeKey);
    if (!local) {
      local = {};
      if (instance) instance.variables = local;
      else this.pendingVariables.set(scopeKey, local);
    }
    const owner = processInstanceKey ?? instance?.value.processInstanceKey ?? scopeKey;
    const before = Object.hasOwn(local, name) ? variableSize(name, local[name]) : 0;
    this.variableBytes.set(owner, (this.variableBytes.get(owner) ?? 0) + variableSize(name, value) - before);
    // Plain objects are the lightest; a variable named __proto__ must not become the prototype.
    if (name === '__proto__')
      Object.defineProperty(local, name, { value, writable: true, enumerable: true, configurable: true });
    else local[name] = value;
  }

  putJob(job: Job): void {
    this.jobs.set(job.key, job);
    this.indexJob(job);
  }

  /** Re-derives the activatable and due-date indexes of a job after its state changed. */
  indexJob(job: Job): void {
    const type = job.value.type;
    if (job.state === 'ACTIVATABLE') {
      let set = this.activatable.get(type);
      if (!set) this.activatable.set(type, (set = new Set()));
      set.add(job.key);
    } else {
      this.activatable.get(type)?.delete(job.key);
    }
    if (job.state === 'ACTIVATED' && job.value.deadline > 0) {
      this.dueDates.add({ due: job.value.deadline, key: job.key, kind: 'JOB_TIME_OUT' });
    } else if (job.state === 'BACKOFF') {
      this.dueDates.add({ due: job.value.recurringTime, key: job.key, kind: 'JOB_BACKOFF' });
    }
  }

  removeJob(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    this.jobs.delete(key);
    this.activatable.get(job.value.type)?.delete(key);
  }

  setAwaitedResult(processInstanceKey: string, fetchVariables: readonly string[] | undefined): void {
    if (fetchVariables === undefined) this.awaitingResult.delete(processInstanceKey);
    else this.awaitingResult.set(processInstanceKey, { fetchVariables });
  }

  putIncident(incident: Incident): void {
    this.incidents.set(incident.key, incident);
    if (incident.value.jobKey !== '-1') this.incidentsByJob.set(incident.value.jobKey, incident.key);
    else this.incidentsByElement.set(incident.value.elementInstanceKey, incident.key);
  }

  removeIncident(key: string): void {
    const incident = this.incidents.get(key);
    if (!incident) return;
    this.incidents.delete(key);
    if (this.incidentsByJob.get(incident.value.jobKey) === key)
      this.incidentsByJob.delete(incident.value.jobKey);
    if (this.incidentsByElement.get(incident.value.elementInstanceKey) === key) {
      this.incidentsByElement.delete(incident.value.elementInstanceKey);
    }
  }

  /** The source position of the last message or signal taken over from a partition (0: none yet). */
  handOverPosition(sourcePartitionId: number): number {
    return this.handOvers.get(sourcePartitionId) ?? 0;
  }

  acceptHandOver(sourcePartitionId: number, position: number): void {
    if (position > this.handOverPosition(sourcePartitionId)) this.handOvers.set(sourcePartitionId, position);
  }

  // ---- snapshots ----

  /** Every scope with variables, as `[scope, [name, value][]]`. */
  private *variableScopes(): Iterable<[string, [string, unknown][]]> {
    for (const instance of this.elementInstances.values())
      if (instance.variables) yield [instance.key, Object.entries(instance.variables)];
    for (const [scope, vars] of this.pendingVariables) yield [scope, Object.entries(vars)];
  }

  /**
   * Serializes the whole state as chunks of JSON (a header, then sections of at most `SNAPSHOT_CHUNK` items),
   * so that a large state never has to fit one string; `EngineState.fromSnapshot` restores it.
   */
  toSnapshot(): string[] {
    return [...this.snapshotChunks()];
  }

  /**
   * The chunks of `toSnapshot`, made one at a time as they are taken, so that a large state's snapshot never
   * has to be held whole. The state must not change until the last one is taken.
   */
  *snapshotChunks(): Generator<string> {
    const header = {
      version: 2,
      partitionId: this.partitionId,
      lastPosition: this.lastPosition,
      keys: this.keys.current,
    };
    const sections: Record<SnapshotSection, Iterable<unknown>> = {
      processes: this.processesByKey.values(),
      decisions: this.decisionsByKey.values(),
      forms: this.forms.all(),
      elementInstances: snapshotElementInstances(this.elementInstances.values()),
      variables: this.variableScopes(),
      jobs: this.jobs.values(),
      incidents: this.incidents.values(),
      userTasks: this.openUserTasks.values(),
      compensations: this.compensations.values(),
      awaitingResult: this.awaitingResult,
      timers: keyedValues(this.waits.timers.values()),
      messages: this.waits.messages.values(),
      messageSubscriptions: keyedValues(this.waits.messageSubscriptions.values()),
      signalSubscriptions: keyedValues(this.waits.signalSubscriptions.values()),
      handOvers: this.handOvers,
      batchOperations: this.batchOperations.snapshot(),
    };
    yield JSON.stringify(header);
    for (const [section, items] of Object.entries(sections)) {
      let batch: unknown[] = [];
      for (const item of items) {
        batch.push(item);
        if (batch.length === SNAPSHOT_CHUNK) {
          yield JSON.stringify({ section, items: batch });
          batch = [];
        }
      }
      if (batch.length > 0) yield JSON.stringify({ section, items: batch });
    }
  }

  /** Restores a state from the chunks of `snapshotChunks`, taking them one at a time. */
  static fromSnapshot(partitionId: number, chunks: Iterable<string>): EngineState {
    const iterator = chunks[Symbol.iterator]();
    const first = iterator.next();
    const header = JSON.parse(first.done ? '{}' : first.value) as {
      version: number;
      partitionId: number;
      lastPosition: number;
      keys: number;
    };
    if (header.version !== 2 || header.partitionId !== partitionId) {
      iterator.return?.();
      throw new Error(
        `snapshot of partition ${header.partitionId} (v${header.version}) cannot restore partition ${partitionId}`,
      );
    }
    const state = new EngineState(partitionId);
    state.lastPosition = header.lastPosition;
    state.keys.current = header.keys;
    // JSON.parse makes a new string for every occurrence; interning shares the many repeated ones (keys,
    // element ids, process ids) as live processing does. A walk after a plain parse, not a reviver: the
    // reviver calls back for every value and made parsing several times slower.
    const interned = new Map<string, string>();
    for (let chunk = iterator.next(); !chunk.done; chunk = iterator.next()) {
      const { section, items } = JSON.parse(chunk.value) as { section: SnapshotSection; items: never[] };
      internStrings(items, interned);
      for (const item of items) state.restore(section, item);
    }
    return state;
  }

  private restore(section: SnapshotSection, item: never): void {
    switch (section) {
      case 'processes':
        return this.putProcess(item);
      case 'decisions':
        return this.putDecision(item);
      case 'forms':
        return this.forms.put(item);
      case 'elementInstances':
        return this.putElementInstance(restoredElementInstance(item));
      case 'variables': {
        const [scope, vars] = item as [string, [string, unknown][]];
        for (const [name, value] of vars) this.setVariable(scope, name, value);
        return;
      }
      case 'jobs':
        return this.putJob(item);
      case 'incidents':
        return this.putIncident(item);
      case 'userTasks':
        return this.putUserTask(item);
      case 'compensations':
        return this.putCompensation(item);
      case 'awaitingResult': {
        const [key, value] = item as [string, { fetchVariables: string[] }];
        return this.setAwaitedResult(key, value.fetchVariables);
      }
      case 'timers': {
        const { key, value } = item as { key: string; value: TimerRecordValue };
        return this.waits.putTimer(key, value);
      }
      case 'messages':
        return this.waits.putMessage(item);
      case 'messageSubscriptions': {
        const { key, value } = item as { key: string; value: MessageSubscriptionRecordValue };
        return this.waits.putMessageSubscription(key, value);
      }
      case 'signalSubscriptions': {
        const { key, value } = item as { key: string; value: SignalSubscriptionRecordValue };
        return this.waits.putSignalSubscription(key, value);
      }
      case 'handOvers': {
        const [source, position] = item as [number, number];
        return this.acceptHandOver(source, position);
      }
      case 'batchOperations':
        return this.batchOperations.restore(item);
    }
  }
}

type SnapshotSection =
  | 'processes'
  | 'decisions'
  | 'forms'
  | 'elementInstances'
  | 'variables'
  | 'jobs'
  | 'incidents'
  | 'userTasks'
  | 'compensations'
  | 'awaitingResult'
  | 'timers'
  | 'messages'
  | 'messageSubscriptions'
  | 'signalSubscriptions'
  | 'handOvers'
  | 'batchOperations';

/** What an element instance keeps beyond its key, state, counters and record value's fields. */
const OPTIONAL_ELEMENT_FIELDS = [
  'joinFlows',
  'terminatedByEndEvent',
  'innerStarted',
  'innerCompleted',
  'calledChildKey',
  'userTaskKey',
  'jobKey',
  'activationsInStep',
  'completionConditionFulfilled',
] as const;

type ElementInstanceSnapshot = Pick<
  ElementInstance,
  'key' | 'state' | 'value' | 'activeChildren' | 'activeSequenceFlows'
> &
  Partial<Pick<ElementInstance, (typeof OPTIONAL_ELEMENT_FIELDS)[number]>>;

/**
 * Element instances as snapshots have always held them (`{ key, state, value, activeChildren, … }`), without
 * what the state derives (children, waits and variables have sections of their own).
 */
function* snapshotElementInstances(instances: Iterable<ElementInstance>): Iterable<ElementInstanceSnapshot> {
  for (const instance of instances) {
    const item: Record<string, unknown> = {
      key: instance.key,
      state: instance.state,
      value: instance.value,
      activeChildren: instance.activeChildren,
      activeSequenceFlows: instance.activeSequenceFlows,
    };
    for (const field of OPTIONAL_ELEMENT_FIELDS)
      if (instance[field] !== undefined) item[field] = instance[field];
    yield item as ElementInstanceSnapshot;
  }
}

function restoredElementInstance(item: ElementInstanceSnapshot): ElementInstance {
  const instance = new ElementInstance(item.key, item.state, item.value);
  instance.activeChildren = item.activeChildren;
  instance.activeSequenceFlows = item.activeSequenceFlows;
  for (const field of OPTIONAL_ELEMENT_FIELDS)
    if (item[field] !== undefined) (instance as unknown as Record<string, unknown>)[field] = item[field];
  return instance;
}

/** Waits as their snapshot form `{ key, value }` (the state keeps them flat). */
function* keyedValues<V>(waits: Iterable<{ key: string; value: V }>): Iterable<{ key: string; value: V }> {
  for (const wait of waits) yield { key: wait.key, value: wait.value };
}

/** Replaces, in place, every string of at most 64 characters in parsed JSON by its first occurrence. */
function internStrings(node: unknown, interned: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const value: unknown = node[i];
      if (typeof value === 'string') {
        if (value.length <= 64) node[i] = internOne(value, interned);
      } else if (typeof value === 'object' && value !== null) internStrings(value, interned);
    }
    return;
  }
  const record = node as Record<string, unknown>;
  for (const name in record) {
    const value = record[name];
    if (typeof value === 'string') {
      if (value.length <= 64) record[name] = internOne(value, interned);
    } else if (typeof value === 'object' && value !== null) internStrings(value, interned);
  }
}

function internOne(value: string, interned: Map<string, string>): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  interned.set(value, value);
  return value;
}

/** Items per snapshot chunk: small enough for any string limit, large enough to keep chunks few. */
const SNAPSHOT_CHUNK = 5_000;
