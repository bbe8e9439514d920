import type { DecisionEvaluationRecordValue, DecisionRecordValue } from '../records/decision.js';
import type { ReadonlyEngineState } from '../state/types.js';
import type { DecisionFailure, DecisionResult } from './decision-evaluator.js';

/**
 * The DECISION_EVALUATION event of an evaluation, as Zeebe writes it (its DecisionBehavior): the decision
 * with its name and decision requirements graph, every decision evaluated with its key, version, type,
 * inputs and matched rules; EVALUATED with the output, or FAILED naming the decision that failed. Written
 * for standalone evaluations and business rule tasks alike.
 */
export function decisionEvaluationEvent(
  state: ReadonlyEngineState,
  decision: DecisionRecordValue,
  outcome: { readonly ok: true; readonly value: DecisionResult } | DecisionFailure,
  scope: {
    readonly variables: Record<string, unknown>;
    readonly elementInstanceKey: string;
    readonly processInstanceKey: string;
  },
): { intent: 'EVALUATED' | 'FAILED'; value: DecisionEvaluationRecordValue } {
  const evaluated = outcome.ok ? outcome.value.evaluated : outcome.evaluated;
  const value = {
    decisionId: decision.decisionId,
    decisionKey: decision.decisionKey,
    version: decision.version,
    decisionName: decision.decisionName,
    decisionRequirementsId: decision.decisionRequirementsId,
    decisionRequirementsKey: decision.decisionRequirementsKey ?? '-1',
    ...scope,
    evaluatedDecisions: evaluated.map((d) => {
      const deployed = sameGraph(state, decision, d.decisionId);
      return {
        ...d,
        decisionKey: deployed?.decisionKey ?? '-1',
        decisionVersion: deployed?.version ?? -1,
      };
    }),
  };
  return outcome.ok
    ? { intent: 'EVALUATED', value: { ...value, output: outcome.value.output, failureMessage: '' } }
    : {
        intent: 'FAILED',
        value: {
          ...value,
          output: null,
          failedDecisionId: outcome.failedDecisionId,
          failureMessage: outcome.message,
        },
      };
}

/** The deployed decision `decisionId` of the same decision requirements graph version as `decision`. */
function sameGraph(
  state: ReadonlyEngineState,
  decision: DecisionRecordValue,
  decisionId: string,
): DecisionRecordValue | undefined {
  if (decisionId === decision.decisionId) return decision;
  const same = (d: DecisionRecordValue) =>
    d.decisionId === decisionId &&
    d.decisionRequirementsId === decision.decisionRequirementsId &&
    d.deploymentKey === decision.deploymentKey;
  const latest = state.latestDecision(decisionId);
  if (latest && same(latest)) return latest;
  for (const d of state.decisions()) if (same(d)) return d;
  return undefined;
}
