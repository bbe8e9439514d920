import type { CommandProcessor } from '../../processing/processing-context.js';
import type { ActivatedJob } from '../../records/job.js';

/** ACTIVATE: hands up to `maxJobsToActivate` activatable jobs of a type to a worker, with a deadline. */
export const activateJobs: CommandProcessor<'JOB_BATCH:ACTIVATE'> = (command, ctx) => {
  const { value } = command;
  if (!value.type) {
    ctx.reject('INVALID_ARGUMENT', 'Expected to activate jobs with a non-empty type, but the type was empty');
    return;
  }
  if (!(value.timeout > 0)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to activate jobs with a positive timeout, but it was ${value.timeout}`,
    );
    return;
  }
  if (!(value.maxJobsToActivate > 0)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to activate a positive number of jobs, but maxJobsToActivate was ${value.maxJobsToActivate}`,
    );
    return;
  }
  const deadline = ctx.timestamp + value.timeout;
  const jobs: ActivatedJob[] = [];
  let truncated = false;
  for (const jobKey of ctx.state.activatableJobs(value.type)) {
    if (jobs.length >= value.maxJobsToActivate) {
      truncated = true;
      break;
    }
    const job = ctx.state.job(jobKey)!;
    const visible = ctx.state.visibleVariables(job.value.elementInstanceKey);
    const variables =
      value.fetchVariables.length === 0
        ? visible
        : Object.fromEntries(value.fetchVariables.filter((n) => n in visible).map((n) => [n, visible[n]]));
    jobs.push(Object.assign({}, job.value, { key: jobKey, worker: value.worker, deadline, variables }));
  }
  const record = ctx.appendEvent(ctx.nextKey(), {
    valueType: 'JOB_BATCH',
    intent: 'ACTIVATED',
    value: { ...value, jobs, truncated },
  });
  ctx.respond(record);
};
