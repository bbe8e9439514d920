/**
 * The shapes the views show: `/v2` search results as api/searches.ts maps them, and Baton's own
 * `/baton/v1` answers (docs/openapi.yaml, packages/read-model/src/queries.ts). Keys are strings.
 */

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface ProcessDefinition {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly name: string | null;
  readonly resourceName: string;
}

export interface ElementStatistics {
  readonly elementId: string;
  readonly active: number;
  readonly completed: number;
  readonly terminated: number;
  readonly incidents: number;
}

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstance {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly state: InstanceState;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly incidents: number;
  /** '-1' (or null) when the instance was not started by a call activity. */
  readonly parentProcessInstanceKey: string | null;
  readonly parentElementInstanceKey?: string | null;
}

/** A process instance as the instance list shows it (`POST /v2/process-instances/search`). */
export interface InstanceSummary {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly state: InstanceState;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly hasIncident: boolean;
  readonly parentProcessInstanceKey: string | null;
}

export interface ElementInstance {
  readonly key: string;
  readonly elementId: string;
  readonly elementType: string;
  readonly flowScopeKey: string;
  /** ACTIVATING, ELEMENT_ACTIVATED, ELEMENT_COMPLETING, ELEMENT_COMPLETED, ELEMENT_TERMINATED … */
  readonly state: string;
  readonly startTime: number;
  readonly endTime: number | null;
}

export interface Variable {
  readonly scopeKey: string;
  readonly name: string;
  readonly value: unknown;
  readonly updatedAt: number;
}

export interface Incident {
  readonly key: string;
  readonly processInstanceKey?: string;
  readonly bpmnProcessId?: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  /** '-1' or null when the incident was not raised by a job. */
  readonly jobKey: string | null;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly state: 'OPEN' | 'RESOLVED';
  readonly createdAt: number;
  readonly resolvedAt: number | null;
}

export interface Job {
  readonly key: string;
  readonly type: string;
  readonly state: string;
  readonly retries: number;
  readonly worker: string | null;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly errorMessage: string | null;
}

/** A child instance started by one of the instance's call activities. */
export interface Child {
  readonly key: string;
  readonly bpmnProcessId: string;
  readonly state: InstanceState;
  /** The call activity's element instance (in the parent) that started this child. */
  readonly parentElementInstanceKey: string | null;
  readonly startTime: number;
}

export interface InstanceDetails {
  readonly instance: ProcessInstance;
  readonly elements: ElementInstance[];
  readonly variables: Variable[];
  readonly incidents: Incident[];
  /** Newest first. */
  readonly children: Child[];
  readonly takenFlows: string[];
  readonly jobs?: Job[];
}

export interface Dashboard {
  readonly instances: { active: number; completed: number; terminated: number };
  readonly openIncidents: number;
  readonly processes: {
    bpmnProcessId: string;
    active: number;
    completed: number;
    terminated: number;
    incidents: number;
  }[];
  readonly throughput: { time: number; started: number; completed: number }[];
}

/** What `POST /v2/deployments` answers: the deployment's key and one entry per deployed resource. */
export interface Deployment {
  readonly deploymentKey: string;
  readonly deployments: {
    readonly processDefinition?: {
      processDefinitionId: string;
      processDefinitionVersion: number;
      processDefinitionKey: string;
      resourceName: string;
    };
    readonly form?: { formId: string; version: number; formKey: string };
  }[];
}

/** One `update` event of `GET /baton/v1/updates`: what changed in the read model. */
export interface ReadModelUpdate {
  readonly processInstanceKeys: string[];
  readonly processDefinitions: boolean;
  readonly incidents: boolean;
}

/** A key that points nowhere ('-1', '0', null, undefined) is absent. */
export function isKey(key: string | null | undefined): key is string {
  return typeof key === 'string' && key !== '' && key !== '-1' && key !== '0';
}
