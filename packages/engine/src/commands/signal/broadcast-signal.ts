import type { CommandProcessor } from '../../processing/processing-context.js';
import { triggerSignal } from '../../bpmn/behaviors/signals.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { takesHandOver } from '../hand-over.js';

/** BROADCAST: triggers every signal subscription and signal start event of that name. */
export const broadcastSignal: CommandProcessor<'SIGNAL:BROADCAST'> = (command, ctx) => {
  const { value } = command;
  if (typeof value.signalName !== 'string' || value.signalName.trim() === '') {
    ctx.reject('INVALID_ARGUMENT', 'Expected a signal name, but it was empty');
    return;
  }
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the signal variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  if (!takesHandOver(ctx, command.key, value.handOver)) return;
  const key = command.key !== '-1' ? command.key : ctx.nextKey();
  ctx.respond(
    triggerSignal(ctx, key, {
      signalName: value.signalName,
      variables,
      distributed: value.distributed === true,
      ...(value.handOver ? { handOver: value.handOver } : {}),
    }),
  );
};
