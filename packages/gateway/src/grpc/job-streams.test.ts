import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { ActivatedJob, Engine } from '@baton-engine/baton';
import { stateOf } from '@baton-engine/baton/internal';
import type { StreamCall } from './job-streams.js';
import { activateJobsHandler, streamActivatedJobsHandler } from './job-streams.js';

const request = {
  type: 'work',
  worker: 'w',
  timeout: '60000',
  maxJobsToActivate: 5,
  fetchVariable: [],
  requestTimeout: '0',
};

/** A call whose client goes away (the abort fires) right after the engine activated jobs for it. */
function leavingClient(engine: Engine) {
  const abort = new AbortController();
  const written: unknown[] = [];
  const call = Object.assign(new EventEmitter(), {
    request,
    cancelled: false,
    write: (message: unknown) => written.push(message) > 0,
    end: () => undefined,
    getDeadline: () => Infinity,
  });
  const activated: ActivatedJob[] = [];
  const leave = (jobs: ActivatedJob[]) => {
    activated.push(...jobs);
    call.cancelled = true;
    abort.abort();
    return jobs;
  };
  const leaving = Object.create(engine, {
    activateJobs: {
      value: async (asked: Parameters<Engine['activateJobs']>[0]) =>
        leave(await engine.activateJobs({ ...asked, signal: undefined })),
    },
    streamJobs: {
      value: async (...[asked, deliver]: Parameters<Engine['streamJobs']>) =>
        deliver(leave(await engine.activateJobs({ ...asked, requestTimeout: 5_000 }))),
    },
  }) as Engine;
  return { engine: leaving, call: call as unknown as StreamCall, pollFor: () => abort, written, activated };
}

async function engineWithJob(): Promise<Engine> {
  const engine = await createEngine({ store: 'memory' });
  await engine.deploy(
    await createProcess('p').startEvent().serviceTask('task', { type: 'work' }).endEvent().toXml(),
  );
  await engine.createInstance('p');
  return engine;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('jobs activated for a client that went away', () => {
  for (const [rpc, handler] of [
    ['StreamActivatedJobs', streamActivatedJobsHandler],
    ['ActivateJobs', activateJobsHandler],
  ] as const) {
    it(`${rpc}: are yielded, activatable again at once (not after their 60 s timeout)`, async () => {
      const real = await engineWithJob();
      try {
        const client = leavingClient(real);
        handler(client)(client.call);
        await until('the job activated for the client', () => client.activated.length === 1);
        await until('the job activatable again', () => stateOf(real).hasActivatableJobs('work'));
        assert.deepEqual(client.written, [], 'and never written to it');
        const [again] = await real.activateJobs({
          type: 'work',
          worker: 'w2',
          timeout: 1_000,
          maxJobsToActivate: 1,
        });
        assert.equal(again?.key, client.activated[0]!.key);
        assert.equal(again?.retries, client.activated[0]!.retries);
      } finally {
        await real.close();
      }
    });
  }
});
