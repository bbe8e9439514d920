import type { CommandProcessor } from '../../processing/processing-context.js';
import { evaluateDecisionGraph } from '../../decisions/decision-evaluator.js';
import { decisionEvaluationEvent } from '../../decisions/evaluation-record.js';
import { isVariableDocument } from '../variable/variable-document.js';

/**
 * EVALUATE: evaluates a deployed decision (by key, or the latest version of an id) against variables. As in
 * Zeebe, a decision that fails to evaluate is not a rejection: the answer is the FAILED event, naming the
 * decision that failed and why.
 */
export const evaluateDecision: CommandProcessor<'DECISION_EVALUATION:EVALUATE'> = (command, ctx) => {
  const { value } = command;
  const decision =
    value.decisionKey && value.decisionKey !== '-1'
      ? ctx.state.decisionByKey(value.decisionKey)
      : ctx.state.latestDecision(value.decisionId);
  if (!decision) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to evaluate decision '${value.decisionKey !== '-1' ? value.decisionKey : value.decisionId}', but no such decision was deployed`,
    );
    return;
  }
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  const outcome = evaluateDecisionGraph(decision.drg, decision.decisionId, variables, ctx.timestamp);
  const event = decisionEvaluationEvent(ctx.state, decision, outcome, {
    variables,
    elementInstanceKey: '-1',
    processInstanceKey: '-1',
  });
  ctx.respond(ctx.appendEvent(ctx.nextKey(), { valueType: 'DECISION_EVALUATION', ...event }));
};
