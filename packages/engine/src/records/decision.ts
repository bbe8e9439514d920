import type { EvaluatedDecision } from '../decisions/decision-evaluator.js';
import type { ExecutableDrg } from '../decisions/executable-decision.js';

export interface DecisionRecordValue {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly version: number;
  readonly decisionKey: string;
  /** The DMN resource (decision requirements graph) the decision belongs to: the definitions' id. */
  readonly decisionRequirementsId: string;
  /**
   * The key, name and version of that decision requirements graph (one per deployed version of the DMN
   * resource, shared by its decisions). Absent in records written before Baton kept them.
   */
  readonly decisionRequirementsKey?: string;
  readonly decisionRequirementsName?: string;
  readonly decisionRequirementsVersion?: number;
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

/** A decision evaluated during an evaluation, with the key and version of its deployed definition. */
export interface EvaluatedDecisionValue extends EvaluatedDecision {
  readonly decisionKey: string;
  readonly decisionVersion: number;
}

export interface DecisionEvaluationRecordValue {
  /** On EVALUATE: the decision by id (latest version) or by key. */
  readonly decisionId: string;
  readonly decisionKey: string;
  readonly version: number;
  readonly decisionName?: string;
  readonly decisionRequirementsId?: string;
  readonly decisionRequirementsKey?: string;
  readonly variables: Record<string, unknown>;
  readonly output: unknown;
  readonly evaluatedDecisions: readonly EvaluatedDecisionValue[];
  /** On FAILED: the decision that failed (the requested one or one it requires), and why. */
  readonly failedDecisionId?: string;
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
