import type { ProcessingContext } from '../../processing/processing-context.js';
import type { Job, JobState } from '../../state/types.js';

/** Finds the job a command addresses and checks its state; rejects (and returns undefined) otherwise. */
export function jobInState(
  ctx: ProcessingContext,
  action: string,
  key: string,
  allowed: readonly JobState[],
): Readonly<Job> | undefined {
  const job = ctx.state.job(key);
  if (!job) {
    ctx.reject('NOT_FOUND', `Expected to ${action} job with key '${key}', but no such job was found`);
    return undefined;
  }
  if (!allowed.includes(job.state)) {
    ctx.reject(
      'INVALID_STATE',
      `Expected to ${action} job with key '${key}', but it is in state '${job.state}'`,
    );
    return undefined;
  }
  return job;
}
