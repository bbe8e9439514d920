import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import { evaluateDecision as evaluate } from '../../decisions/evaluate-decision.js';
import { isVariableDocument } from '../variable/variable-document.js';

/** EVALUATE: evaluates a deployed decision (by key, or the latest version of an id) against variables. */
export const evaluateDecision: CommandProcessor = (command, ctx) => {
  const { value } = command as LoggedRecordOf<'DECISION_EVALUATION'>;
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
  const result = evaluate(decision.drg, decision.decisionId, variables, ctx.timestamp);
  if (!result.ok) {
    ctx.reject('INVALID_ARGUMENT', result.message);
    return;
  }
  ctx.respond(
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'DECISION_EVALUATION',
      intent: 'EVALUATED',
      value: {
        decisionId: decision.decisionId,
        decisionKey: decision.decisionKey,
        version: decision.version,
        variables,
        output: result.value.output,
        evaluatedDecisions: result.value.evaluated,
        failureMessage: '',
        elementInstanceKey: '-1',
        processInstanceKey: '-1',
      },
    }),
  );
};
