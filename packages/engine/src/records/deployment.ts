import type { ExecutableProcess } from '../model/executable.js';
import type { ProcessRecordValue } from './process.js';
import type { ExecutableDrg } from '../decisions/executable-decision.js';
import type { DecisionRecordValue } from './decision.js';
import type { FormRecordValue } from './form.js';

export interface DeploymentResource {
  readonly resourceName: string;
  readonly content: string;
}

export interface DeployedProcessMetadata {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly resourceName: string;
  readonly checksum: string;
  /** True when an identical resource was deployed before and no new version was created. */
  readonly duplicate: boolean;
}

export interface DeployedDecisionMetadata {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly version: number;
  readonly decisionKey: string;
  /** The decision requirements graph (DMN definitions) the decision belongs to. */
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly duplicate: boolean;
}

/** A DMN resource as deployed: its definitions' id and name, and the key and version it got. */
export interface DecisionRequirementsMetadata {
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsName: string;
  readonly decisionRequirementsVersion: number;
  readonly decisionRequirementsKey: string;
  readonly resourceName: string;
  readonly duplicate: boolean;
}

export interface DeployedFormMetadata {
  readonly formId: string;
  readonly version: number;
  readonly formKey: string;
  readonly resourceName: string;
  readonly checksum: string;
  /** True when the same form was deployed before and no new version was created. */
  readonly duplicate: boolean;
}

export interface DeploymentRecordValue {
  readonly resources: readonly DeploymentResource[];
  /**
   * The processes compiled from the resources. The runtime parses the XML (an asynchronous step) before
   * it submits the command, so that processing stays synchronous and deterministic.
   */
  readonly compiled?: readonly ExecutableProcess[];
  /** For each compiled process, the index of the resource it came from. */
  readonly resourceIndexes?: readonly number[];
  /** DMN resources compiled by the runtime, with the index of their resource. */
  readonly compiledDrgs?: readonly { readonly resourceIndex: number; readonly drg: ExecutableDrg }[];
  /** On CREATED: the decisions deployed (new versions or duplicates). */
  readonly decisionsMetadata?: readonly DeployedDecisionMetadata[];
  /** On CREATED: the decision requirements graphs (one per DMN resource) deployed. */
  readonly decisionRequirementsMetadata?: readonly DecisionRequirementsMetadata[];
  /** Form resources (`.form`) read by the runtime: the index of their resource, their id and version tag. */
  readonly compiledForms?: readonly {
    readonly resourceIndex: number;
    readonly formId: string;
    readonly versionTag: string;
  }[];
  /** On CREATED: the forms deployed (new versions or duplicates). */
  readonly formsMetadata?: readonly DeployedFormMetadata[];
  /** On DISTRIBUTE: forms deployed on partition 1, to be known here too. */
  readonly distributedForms?: readonly FormRecordValue[];
  /**
   * What the runtime noticed in the resources without refusing them (diagram interchange pointing to
   * missing elements …), one line each naming the resource; carried on to CREATED.
   */
  readonly warnings?: readonly string[];
  /** On DISTRIBUTE: decisions deployed on partition 1, to be known here too. */
  readonly distributedDecisions?: readonly DecisionRecordValue[];
  /** Set on the command when parsing failed; the processor turns it into a rejection. */
  readonly parseError?: string;
  readonly processesMetadata: readonly DeployedProcessMetadata[];
  /** On DISTRIBUTE: the processes another partition deployed, with their keys, to be known here too. */
  readonly distributedProcesses?: readonly ProcessRecordValue[];
}

export type DeploymentRecord = {
  readonly valueType: 'DEPLOYMENT';
  readonly intent: 'CREATE' | 'CREATED' | 'DISTRIBUTE' | 'DISTRIBUTED';
  readonly value: DeploymentRecordValue;
};
