import type { ExporterStats } from './runtime/exporter.js';
import type { EvaluatedDecisionValue, UserTaskRecordValue } from '@baton-engine/engine';

/** Process variables: a JSON object. */
export type Variables = Record<string, unknown>;

/**
 * A resource to deploy: BPMN XML, a named one (BPMN, DMN or a Camunda Form `.form`), a named file's bytes
 * (decoded by the XML declaration's encoding or byte order mark, else UTF-8), or a model from the builder
 * (anything with `toXml()`).
 */
export type DeployResource =
  | string
  | { readonly name: string; readonly xml: string }
  | { readonly name: string; readonly content: string | Uint8Array }
  | { readonly id: string; toXml(): Promise<string> };

export interface DeployedProcess {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly resourceName: string;
  /** True when the same XML was deployed before: no new version was made. */
  readonly duplicate: boolean;
}

export interface DeployedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly version: number;
  readonly decisionKey: string;
  /** The decision requirements graph (the DMN resource's definitions) the decision belongs to. */
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly duplicate: boolean;
}

/** A DMN resource as deployed (Zeebe's decision requirements): one key and version for all its decisions. */
export interface DeployedDecisionRequirements {
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsName: string;
  readonly version: number;
  readonly decisionRequirementsKey: string;
  readonly resourceName: string;
  readonly duplicate: boolean;
}

export interface DeployedForm {
  readonly formId: string;
  readonly version: number;
  readonly formKey: string;
  readonly resourceName: string;
  /** True when the same form was deployed before and nothing else in the deployment changed. */
  readonly duplicate: boolean;
}

export interface Deployment {
  readonly key: string;
  readonly processes: readonly DeployedProcess[];
  readonly decisions: readonly DeployedDecision[];
  readonly decisionRequirements: readonly DeployedDecisionRequirements[];
  readonly forms: readonly DeployedForm[];
  /**
   * What was noticed but does not affect execution (diagram interchange pointing to missing elements …),
   * one line each naming the resource; the deployment went through.
   */
  readonly warnings: readonly string[];
}

/** A deployed Camunda Form: its JSON as deployed, with id, version and key. */
export interface Form {
  readonly formId: string;
  readonly version: number;
  readonly formKey: string;
  readonly versionTag: string;
  readonly resourceName: string;
  readonly deploymentKey: string;
  /** The form's JSON (form-js schema), as deployed. */
  readonly schema: string;
}

/** The outcome of evaluating a decision, with the detail Zeebe records (DecisionEvaluationRecord). */
export interface DecisionEvaluation {
  /** The key of this evaluation (Zeebe's decisionInstanceKey / decisionEvaluationKey). */
  readonly decisionEvaluationKey: string;
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionKey: string;
  readonly version: number;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  /** null when the evaluation failed. */
  readonly output: unknown;
  /**
   * Every decision evaluated (required ones first): key, version, type, output, the inputs of a decision
   * table with their values, and the rules that matched with their 1-based index and outputs.
   */
  readonly evaluatedDecisions: readonly EvaluatedDecisionValue[];
  /** Only with `{ failure: 'answer' }`, when the evaluation failed: which decision, and why. */
  readonly failedDecisionId?: string;
  readonly failureMessage?: string;
}

export interface EvaluateDecisionOptions {
  /**
   * What a decision that fails to evaluate gives: `reject` (default) throws INVALID_ARGUMENT with the
   * message; `answer` resolves with `failedDecisionId` and `failureMessage` set, as Zeebe's gateway answers.
   */
  readonly failure?: 'reject' | 'answer';
}

export interface CreateInstanceOptions {
  /** A specific version; default the latest. */
  readonly version?: number;
  /** A specific process definition, instead of id and version. */
  readonly processDefinitionKey?: string;
  /**
   * Start before these elements instead of at the none start event (Zeebe's start instructions): the
   * sub-processes around an element are created first. Start events, boundary events, sequence flows,
   * elements inside a multi-instance sub-process and elements after an event-based gateway are refused.
   */
  readonly startInstructions?: readonly { readonly elementId: string }[];
}

export interface ProcessInstance {
  readonly processInstanceKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
}

/** What `createInstanceWithResult` takes besides the process and its variables. */
export type CreateInstanceWithResultOptions = CreateInstanceOptions & {
  /** Milliseconds to wait for the instance to complete (default 60,000). */
  readonly timeout?: number;
  /** The variables to answer with; default all. */
  readonly fetchVariables?: readonly string[];
};

export interface InstanceResult<R extends Variables = Variables> extends ProcessInstance {
  readonly variables: R;
}

export interface FailJobOptions {
  /** Retries left; 0 raises an incident. */
  readonly retries: number;
  readonly errorMessage?: string;
  /** Milliseconds before the job can be activated again. */
  readonly retryBackoff?: number;
  /** Set as local variables of the task. */
  readonly variables?: Variables;
}

export interface ThrowErrorOptions {
  readonly errorCode: string;
  readonly errorMessage?: string;
  readonly variables?: Variables;
}

/** An open Camunda user task. */
export interface UserTask extends Omit<UserTaskRecordValue, 'variables'> {
  readonly key: string;
}

/** What `updateUserTask` changes; an attribute left out keeps its value. */
export interface UserTaskChanges {
  /** ISO 8601 date-times with a zone; "" clears. */
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly candidateGroups?: readonly string[];
  readonly candidateUsers?: readonly string[];
  /** 0 to 100. */
  readonly priority?: number;
}

export interface UserTaskFilter {
  readonly assignee?: string;
  readonly candidateGroup?: string;
  readonly candidateUser?: string;
  readonly processInstanceKey?: string;
  readonly elementId?: string;
  readonly limit?: number;
}

/** Whether the engine can take commands now (`engine.health()`), for readiness probes and operators. */
export interface EngineHealth {
  /** True when the store is healthy and every partition's last write succeeded. */
  readonly healthy: boolean;
  /** Where the log lives, e.g. `sqlite:/data/baton.db`. */
  readonly storage: string;
  /** The store's own view: a file removed or replaced, a full or read-only disk. */
  readonly store: { readonly healthy: boolean; readonly detail?: string };
  readonly partitions: readonly {
    readonly partitionId: number;
    readonly healthy: boolean;
    /** Why it cannot write, when it cannot. */
    readonly detail?: string;
    /** Why the last snapshot failed (the partition still works; a restart replays more of the log). */
    readonly snapshotFailure?: string;
    /**
     * Commands taken and not yet answered, the in-flight limit (absent with `backPressure: false`), and
     * commands refused by it since the partition opened. Refusals do not make a partition unhealthy.
     */
    readonly backPressure: { readonly inFlight: number; readonly limit?: number; readonly refused: number };
  }[];
}

/** The partitions of this engine and their roles (one node leads all of them), as `engine.topology()` reports. */
export interface EngineTopology {
  readonly partitionsCount: number;
  readonly partitions: readonly NodePartition[];
  /** Where the log lives, e.g. `sqlite:/data/baton.db`. */
  readonly storage: string;
}

/** A partition as a node of a cluster serves it: led there, healthy while it can write. */
export interface NodePartition {
  readonly partitionId: number;
  readonly role: 'LEADER';
  readonly health: 'HEALTHY' | 'UNHEALTHY';
}

/**
 * Every live node of a cluster with the partitions it leads (`engine.clusterTopology()`): what the gateway's
 * Topology reports. A node that leads nothing at the moment is listed with no partitions.
 */
export interface ClusterTopology {
  readonly partitionsCount: number;
  /** The live nodes, by node id; the node asked is among them. */
  readonly nodes: readonly ClusterTopologyNode[];
}

export interface ClusterTopologyNode {
  /** The node's id in the cluster (`--node-id`). */
  readonly node: string;
  /** Where clients reach its Zeebe gRPC gateway, `host:port` (an IPv6 host bracketed). */
  readonly address: string;
  /** Whether this is the node that answered. */
  readonly self: boolean;
  readonly partitions: readonly NodePartition[];
}

/** What one partition holds and does now, read between batches (`engine.stats()`). */
export interface PartitionStats {
  readonly partitionId: number;
  /** Position of the last record written to the log (and applied to the state). */
  readonly lastPosition: number;
  /** Commands waiting in the queue. */
  readonly queuedCommands: number;
  /** As in `EngineHealth`: commands in flight, the in-flight limit (absent when off), refusals so far. */
  readonly backPressure: { readonly inFlight: number; readonly limit?: number; readonly refused: number };
  /** Active element instances, process instances included. */
  readonly elementInstances: number;
  /** Jobs that exist (activatable, activated or in back-off). */
  readonly jobs: number;
  readonly openIncidents: number;
  /** Activatable jobs of each type asked for in `stats({ jobTypes })`. */
  readonly activatableJobs: Readonly<Record<string, number>>;
  /** Each exporter's acknowledged position and lag in this partition. */
  readonly exporters: readonly ExporterStats[];
}

export interface EngineStats {
  readonly partitions: readonly PartitionStats[];
}

/** The latest version of a deployed process, with the BPMN XML it came from. */
export interface ProcessModel {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly resourceName: string;
  readonly resource: string;
}
