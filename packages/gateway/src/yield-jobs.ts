import type { ActivatedJob, Engine } from '@baton-engine/baton';

/**
 * Makes jobs activated for a client that went away before it got them activatable again at once (Zeebe's
 * job yield), on other nodes too, through their leaders. A job completed or timed out meanwhile is left as it
 * is.
 */
export async function yieldJobs(
  engine: Engine,
  jobs: readonly ActivatedJob[],
  log?: { debug(fields: object, message: string): void },
): Promise<void> {
  if (jobs.length === 0) return;
  const yielded = await Promise.all(
    jobs.map((job) =>
      engine.yieldJob(job.key).then(
        () => true,
        () => false,
      ),
    ),
  );
  log?.debug(
    { type: jobs[0]!.type, jobs: jobs.length, yielded: yielded.filter(Boolean).length },
    'the worker went away before its jobs reached it; they are activatable again',
  );
}
