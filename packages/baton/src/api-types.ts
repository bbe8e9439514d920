import type { UserTaskRecordValue } from '@baton/engine';

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
  readonly version: number;
  readonly decisionKey: string;
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

export interface DecisionEvaluation {
  readonly decisionId: string;
  readonly decisionKey: string;
  readonly version: number;
  readonly output: unknown;
  /** Every decision evaluated (required ones first), with the ids of the rules that matched. */
  readonly evaluatedDecisions: readonly {
    readonly decisionId: string;
    readonly output: unknown;
    readonly matchedRules: readonly string[];
  }[];
}

export interface CreateInstanceOptions {
  /** A specific version; default the latest. */
  readonly version?: number;
  /** A specific process definition, instead of id and version. */
  readonly processDefinitionKey?: string;
}

export interface ProcessInstance {
  readonly processInstanceKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
}

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

export interface UserTaskFilter {
  readonly assignee?: string;
  readonly candidateGroup?: string;
  readonly candidateUser?: string;
  readonly processInstanceKey?: string;
  readonly elementId?: string;
  readonly limit?: number;
}
