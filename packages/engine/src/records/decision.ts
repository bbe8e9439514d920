import type { ExecutableDrg } from '../decisions/executable-decision.js';

export interface DecisionRecordValue {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly version: number;
  readonly decisionKey: string;
  /** The DMN resource (decision requirements graph) the decision belongs to. */
  readonly decisionRequirementsId: string;
  readonly resourceName: string;
  readonly checksum: string;
  readonly resource: string;
  readonly deploymentKey: string;
  readonly drg: ExecutableDrg;
}

export type DecisionRecord = {
  readonly valueType: 'DECISION';
  readonly intent: 'CREATED' | 'DELETED';
  readonly value: DecisionRecordValue;
};

export interface DecisionEvaluationRecordValue {
  /** On EVALUATE: the decision by id (latest version) or by key. */
  readonly decisionId: string;
  readonly decisionKey: string;
  readonly version: number;
  readonly variables: Record<string, unknown>;
  readonly output: unknown;
  readonly evaluatedDecisions: readonly {
    readonly decisionId: string;
    readonly output: unknown;
    readonly matchedRules: readonly string[];
  }[];
  readonly failureMessage: string;
  /** Set when a business rule task evaluated it; otherwise "-1". */
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
}

export type DecisionEvaluationRecord = {
  readonly valueType: 'DECISION_EVALUATION';
  readonly intent: 'EVALUATE' | 'EVALUATED' | 'FAILED';
  readonly value: DecisionEvaluationRecordValue;
};
