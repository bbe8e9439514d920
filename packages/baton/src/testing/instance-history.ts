import type { BpmnElementType, IncidentRecordValue, LoggedRecord } from '@baton-engine/engine';

/** Where a process instance stands, judged from its process element's lifecycle events. */
export type InstanceStatus = 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | 'UNKNOWN';

/** An element instance of a process instance as its events left it. */
export interface ElementTrace {
  readonly key: string;
  readonly elementId: string;
  readonly elementType: BpmnElementType;
  /** The last lifecycle event: `ELEMENT_ACTIVATED` while it waits, `ELEMENT_COMPLETED` once passed … */
  readonly intent: string;
}

/** An open incident of a process instance. */
export interface OpenIncident extends IncidentRecordValue {
  readonly key: string;
}

/**
 * What one process instance did, rebuilt from its committed events only (black-box): lifecycle of every
 * element instance, completions in order, variables of the process-instance scope, open incidents, jobs.
 */
export class InstanceHistory {
  bpmnProcessId = '';
  version = 0;
  processDefinitionKey = '';
  /** The calling process instance, "-1" when it was not started by a call activity. */
  parentProcessInstanceKey = '-1';
  status: InstanceStatus = 'UNKNOWN';
  /** Every event of the instance, in log order. */
  readonly records: LoggedRecord[] = [];
  /** Ids of the elements that completed, in order (an element passed twice appears twice). */
  readonly completed: string[] = [];
  readonly terminated: string[] = [];
  readonly takenFlows: string[] = [];
  private readonly elements = new Map<string, ElementTrace>();
  private readonly scopeVariables = new Map<string, unknown>();
  private readonly incidents = new Map<string, OpenIncident>();
  readonly jobKeys = new Set<string>();
  readonly calledInstanceKeys = new Set<string>();

  constructor(readonly processInstanceKey: string) {}

  /** Element instances that have not completed or terminated yet, the process itself excluded. */
  activeElements(): ElementTrace[] {
    return [...this.elements.values()].filter(
      (e) =>
        e.elementType !== 'PROCESS' && e.intent !== 'ELEMENT_COMPLETED' && e.intent !== 'ELEMENT_TERMINATED',
    );
  }

  /** The variables of the process-instance scope (not those local to tasks or sub-processes). */
  variables(): Record<string, unknown> {
    return Object.fromEntries(this.scopeVariables);
  }

  openIncidents(): OpenIncident[] {
    return [...this.incidents.values()];
  }

  /** @internal Applies one committed event of this instance. */
  apply(record: LoggedRecord): void {
    this.records.push(record);
    switch (record.valueType) {
      case 'PROCESS_INSTANCE': {
        const value = record.value;
        if (record.intent === 'SEQUENCE_FLOW_TAKEN') {
          this.takenFlows.push(value.elementId);
          return;
        }
        this.elements.set(record.key, {
          key: record.key,
          elementId: value.elementId,
          elementType: value.bpmnElementType,
          intent: record.intent,
        });
        if (value.bpmnElementType === 'PROCESS' && record.key === this.processInstanceKey) {
          this.bpmnProcessId = value.bpmnProcessId;
          this.version = value.version;
          this.processDefinitionKey = value.processDefinitionKey;
          this.parentProcessInstanceKey = value.parentProcessInstanceKey;
          this.status = statusAfter(record.intent, this.status);
          return;
        }
        if (record.intent === 'ELEMENT_COMPLETED') this.completed.push(value.elementId);
        if (record.intent === 'ELEMENT_TERMINATED') this.terminated.push(value.elementId);
        return;
      }
      case 'VARIABLE':
        if (record.value.scopeKey === this.processInstanceKey) {
          this.scopeVariables.set(record.value.name, record.value.value);
        }
        return;
      case 'INCIDENT':
        if (record.intent === 'CREATED') this.incidents.set(record.key, { ...record.value, key: record.key });
        if (record.intent === 'RESOLVED') this.incidents.delete(record.key);
        return;
      case 'JOB':
        this.jobKeys.add(record.key);
        return;
      default:
        return;
    }
  }
}

function statusAfter(intent: string, current: InstanceStatus): InstanceStatus {
  if (intent === 'ELEMENT_COMPLETED') return 'COMPLETED';
  if (intent === 'ELEMENT_TERMINATED') return 'TERMINATED';
  return current === 'UNKNOWN' ? 'ACTIVE' : current;
}

/**
 * Every committed event of an engine, kept per process instance, plus the job types seen. Fed by
 * `engine.onRecords`, so it sees exactly what an exporter would.
 */
export class RecordHistory {
  /** All committed records of every partition, in the order they were committed. */
  readonly records: LoggedRecord[] = [];
  private readonly instances = new Map<string, InstanceHistory>();
  private readonly jobsByType = new Map<string, Set<string>>();

  /** The number of records seen so far: a cheap way to tell whether anything happened in between. */
  get size(): number {
    return this.records.length;
  }

  /** Feeds one committed batch. */
  add(batch: readonly LoggedRecord[]): void {
    for (const record of batch) {
      this.records.push(record);
      if (record.recordType !== 'EVENT') continue;
      const value = record.value as { processInstanceKey?: unknown };
      if (typeof value.processInstanceKey !== 'string' || value.processInstanceKey === '-1') continue;
      this.instance(value.processInstanceKey).apply(record);
      if (record.valueType === 'JOB') this.jobKeysOf(record.value.type).add(record.key);
      if (
        record.valueType === 'PROCESS_INSTANCE' &&
        record.value.bpmnElementType === 'PROCESS' &&
        record.value.parentProcessInstanceKey !== '-1'
      ) {
        this.instance(record.value.parentProcessInstanceKey).calledInstanceKeys.add(record.key);
      }
    }
  }

  /** The history of one process instance; empty (status `UNKNOWN`) when none of its events were seen. */
  instance(processInstanceKey: string): InstanceHistory {
    let history = this.instances.get(processInstanceKey);
    if (!history) {
      history = new InstanceHistory(processInstanceKey);
      this.instances.set(processInstanceKey, history);
    }
    return history;
  }

  /** Process instances seen, in order of their first event. */
  allInstances(): InstanceHistory[] {
    return [...this.instances.values()].filter((h) => h.status !== 'UNKNOWN');
  }

  /** Job types seen, in order of their first job. */
  jobTypes(): string[] {
    return [...this.jobsByType.keys()];
  }

  /** Keys of every job of a type ever created (some may be gone). */
  jobKeys(type: string): readonly string[] {
    return [...(this.jobsByType.get(type) ?? [])];
  }

  private jobKeysOf(type: string): Set<string> {
    let keys = this.jobsByType.get(type);
    if (!keys) {
      keys = new Set();
      this.jobsByType.set(type, keys);
    }
    return keys;
  }
}
