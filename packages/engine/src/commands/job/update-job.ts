import type { CommandProcessor } from '../../processing/processing-context.js';
import { jobInState } from './job-preconditions.js';
import { jobValueWith } from '../../records/job.js';

/** UPDATE_RETRIES: gives a job new retries (an operator's first step to fix a JOB_NO_RETRIES incident). */
export const updateJobRetries: CommandProcessor<'JOB:UPDATE_RETRIES'> = (command, ctx) => {
  const { key, value } = command;
  if (!Number.isInteger(value.retries) || value.retries < 1) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to update job '${key}' with a positive number of retries, but got ${value.retries}`,
    );
    return;
  }
  const job = jobInState(ctx, 'update retries of', key, [
    'ACTIVATABLE',
    'ACTIVATED',
    'FAILED',
    'BACKOFF',
    'ERROR_THROWN',
  ]);
  if (!job) return;
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'JOB',
      intent: 'RETRIES_UPDATED',
      value: jobValueWith(job.value, { retries: value.retries }),
    }),
  );
};

/** UPDATE_TIMEOUT: moves an activated job's deadline to now + timeout. */
export const updateJobTimeout: CommandProcessor<'JOB:UPDATE_TIMEOUT'> = (command, ctx) => {
  const { key, value } = command;
  if (!Number.isInteger(value.timeout) || value.timeout < 1) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to update job '${key}' with a positive timeout, but got ${value.timeout}`,
    );
    return;
  }
  const job = jobInState(ctx, 'update the timeout of', key, ['ACTIVATED']);
  if (!job) return;
  const deadline = ctx.timestamp + value.timeout;
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'JOB',
      intent: 'TIMEOUT_UPDATED',
      value: jobValueWith(job.value, { deadline, timeout: value.timeout }),
    }),
  );
};

/** TIME_OUT (from the due-date scheduler): an activated job whose deadline passed is activatable again. */
export const timeOutJob: CommandProcessor<'JOB:TIME_OUT'> = (command, ctx) => {
  const job = ctx.state.job(command.key);
  if (!job || job.state !== 'ACTIVATED' || job.value.deadline > ctx.timestamp) {
    ctx.reject('INVALID_STATE', `Job '${command.key}' is not an activated job past its deadline`);
    return;
  }
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'JOB', intent: 'TIMED_OUT', value: job.value }));
};

/** RECUR_AFTER_BACKOFF (from the scheduler): a failed job whose back-off ended is activatable again. */
export const recurJobAfterBackoff: CommandProcessor<'JOB:RECUR_AFTER_BACKOFF'> = (command, ctx) => {
  const job = ctx.state.job(command.key);
  if (!job || job.state !== 'BACKOFF' || job.value.recurringTime > ctx.timestamp) {
    ctx.reject('INVALID_STATE', `Job '${command.key}' is not a job in back-off whose back-off ended`);
    return;
  }
  ctx.respond(
    ctx.appendEvent(command.key, { valueType: 'JOB', intent: 'RECURRED_AFTER_BACKOFF', value: job.value }),
  );
};

/**
 * YIELD (from the gateway): an activated job that could not be handed to its worker (the stream or the node
 * that asked for it went away) is activatable again at once, its retries untouched, as Zeebe yields a job a
 * job push could not deliver.
 */
export const yieldJob: CommandProcessor<'JOB:YIELD'> = (command, ctx) => {
  const job = jobInState(ctx, 'yield', command.key, ['ACTIVATED']);
  if (!job) return;
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'JOB', intent: 'YIELDED', value: job.value }));
};
