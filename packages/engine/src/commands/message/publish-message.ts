import type { CommandProcessor } from '../../processing/processing-context.js';
import { correlatePublishedMessage } from '../../bpmn/behaviors/published-message.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { takesHandOver } from '../hand-over.js';

/**
 * PUBLISH: correlates a message to the instances waiting for its name and correlation key, starts
 * message-start processes, and buffers it for `timeToLive` for subscriptions opened later.
 */
export const publishMessage: CommandProcessor<'MESSAGE:PUBLISH'> = (command, ctx) => {
  const { value } = command;
  if (typeof value.name !== 'string' || value.name.trim() === '') {
    ctx.reject('INVALID_ARGUMENT', 'Expected a message name, but it was empty');
    return;
  }
  if (typeof value.correlationKey !== 'string') {
    ctx.reject('INVALID_ARGUMENT', 'Expected the correlation key to be a string');
    return;
  }
  const timeToLive = value.timeToLive ?? 0;
  if (!Number.isInteger(timeToLive) || timeToLive < 0) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected a time to live of zero or more milliseconds, but it was ${timeToLive}`,
    );
    return;
  }
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the message variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  if (!takesHandOver(ctx, command.key, value.handOver)) return;
  const messageId = value.messageId ?? '';
  // The home partition checked the id; a hand-over is taken once by its position instead.
  if (
    messageId &&
    !value.handOver &&
    ctx.state.waits.messageWithId(value.name, value.correlationKey, messageId)
  ) {
    ctx.reject(
      'ALREADY_EXISTS',
      `Expected to publish a new message with id '${messageId}', but a message with that id was already published`,
    );
    return;
  }
  // A message forwarded from another partition arrives with that partition's key.
  const key = command.key !== '-1' ? command.key : ctx.nextKey();
  const message = {
    name: value.name,
    correlationKey: value.correlationKey,
    timeToLive,
    messageId,
    variables,
    // A hand-over keeps the deadline of the original publication: it may arrive late (after a restart).
    deadline: value.handOver ? value.deadline : ctx.timestamp + timeToLive,
    ...(value.handOver ? { handOver: value.handOver } : {}),
  };
  ctx.respond(ctx.appendEvent(key, { valueType: 'MESSAGE', intent: 'PUBLISHED', value: message }));
  correlatePublishedMessage(ctx, key, message);
};

/** EXPIRE (from the due-date scheduler): a buffered message's time to live is over. */
export const expireMessage: CommandProcessor<'MESSAGE:EXPIRE'> = (command, ctx) => {
  const message = ctx.state.waits.messages.get(command.key);
  if (!message || message.value.deadline > ctx.timestamp) {
    ctx.reject('INVALID_STATE', `Message '${command.key}' is not a buffered message past its time to live`);
    return;
  }
  ctx.respond(
    ctx.appendEvent(command.key, { valueType: 'MESSAGE', intent: 'EXPIRED', value: message.value }),
  );
};
