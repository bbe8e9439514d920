import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine, LoggedRecord, RemotePartitions } from '@baton-engine/baton';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { ClusterMembership } from '@baton-engine/store-postgres';
import { nodesBAndC } from './test-support/internal-endpoints.js';
import { RemoteLeaders } from './remote-leaders.js';

const SECRET = 'test-secret';
const MODEL = createProcess('p').startEvent().serviceTask('t', { type: 'work' }).endEvent().toXml();

/**
 * Node `c` serves partitions 1 and 2 from an engine in this process behind its internal endpoint; node `b`
 * holds the lease of partition 3 but nothing listens at its address. This process is node `a`.
 */
let engine: Engine;
let internal: { address: string; close(): Promise<void> };
let remote: RemoteLeaders;
/** Internal requests this process made, by path. */
const calls: string[] = [];
const realFetch = globalThis.fetch;

before(async () => {
  engine = await createEngine({ store: 'memory', partitions: 2 });
  await engine.deploy(await MODEL);
  const nodes = await nodesBAndC(engine, SECRET);
  internal = nodes.internal;
  const { leaders } = nodes;
  const membership = { leaders: async () => leaders } as unknown as ClusterMembership;
  remote = new RemoteLeaders(membership, 'a', SECRET, 3_000);
  globalThis.fetch = (input, init) => {
    calls.push(new URL(String(input)).pathname);
    return realFetch(input, init);
  };
});

after(async () => {
  globalThis.fetch = realFetch;
  await internal?.close();
  await engine?.close();
});

const ask = { type: 'work', worker: 'a', timeout: 60_000, maxJobsToActivate: 5 };

function timeLimit<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

describe('long-polling job activation across nodes', () => {
  it('waits on the other node without asking again, and returns as soon as a job is created there', async () => {
    calls.length = 0;
    const started = Date.now();
    const polling = remote.pollJobs(ask, 30_000, new AbortController().signal);
    // Idle for two seconds: the reachable node holds one request; the silent one is tried about once a second.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = calls.filter((path) => path === '/internal/activate-wait').length;
    assert.ok(idle <= 5, `at most one poll held by c and a few tries of b while idle, got ${idle}`);
    const instance = await engine.createInstance('p');
    const jobs = await timeLimit(polling, 10_000, 'the long poll');
    assert.ok(Date.now() - started < 20_000);
    assert.deepEqual(
      jobs.map((j) => [j.processInstanceKey, j.worker]),
      [[instance.processInstanceKey, 'a']],
    );
    await engine.completeJob(jobs[0]!.key);
  });

  it('empty after the time is up', async () => {
    const started = Date.now();
    const jobs = await timeLimit(remote.pollJobs(ask, 500, new AbortController().signal), 10_000, 'poll');
    assert.deepEqual(jobs, []);
    assert.ok(Date.now() - started >= 450);
  });

  it('ends when its signal aborts; the other node stops holding it (a later job stays for others)', async () => {
    const abort = new AbortController();
    const polling = remote.pollJobs(ask, 60_000, abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    assert.deepEqual(await timeLimit(polling, 5_000, 'the aborted poll'), []);
    await engine.createInstance('p');
    const jobs = await engine.activateJobs({ ...ask, worker: 'other', requestTimeout: 5_000 });
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.worker, 'other');
    await engine.completeJob(jobs[0]!.key);
  });

  it('a poll cancelled before it arrives ends at once', async () => {
    const post = (path: string, payload: unknown) =>
      realFetch(`${internal.address}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
        body: JSON.stringify(payload),
      }).then((r) => r.json() as Promise<unknown>);
    assert.deepEqual(await post('/internal/activate-cancel', { pollId: 'early' }), { result: true });
    const answer = await timeLimit(
      post('/internal/activate-wait', { pollId: 'early', request: ask, waitMs: 30_000 }),
      5_000,
      'the cancelled poll',
    );
    assert.deepEqual(answer, { result: [] });
    assert.deepEqual(await post('/internal/activate-wait', { pollId: 'x', request: ask, waitMs: -1 }), {
      error: { code: 'INVALID_ARGUMENT', message: 'Expected waitMs ≥ 0, but it was -1' },
    });
  });

  it('a poll whose asker went away ends there: a later job goes to another worker', async () => {
    const connection = new AbortController();
    const asked = realFetch(`${internal.address}/internal/activate-wait`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ pollId: 'gone', request: { ...ask, worker: 'gone' }, waitMs: 30_000 }),
      signal: connection.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    connection.abort();
    await asked;
    await engine.createInstance('p');
    const jobs = await engine.activateJobs({ ...ask, worker: 'other', requestTimeout: 5_000 });
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.worker, 'other');
    await engine.completeJob(jobs[0]!.key);
  });
});

describe('long polls in an engine with remote partitions', () => {
  it('jobs found here and on another node at once beyond maxJobsToActivate are yielded, never lost', async () => {
    const local = await createEngine({
      store: 'memory',
      partitions: 1,
      remote: fakeRemote(async (request) => {
        // The other node: two jobs are created, and it activates what it finds while the partition here
        // (woken by the first creation) does the same.
        await local.createInstance('p');
        await local.createInstance('p');
        return local.activateJobs({ ...request, localOnly: true, requestTimeout: 0 });
      }),
    });
    try {
      await local.deploy(await MODEL);
      const records: LoggedRecord[] = [];
      const off = local.onRecords((batch) => records.push(...batch));
      const jobs = await local.activateJobs({ ...ask, maxJobsToActivate: 1, requestTimeout: 30_000 });
      assert.equal(jobs.length, 1);
      // Both jobs were activated for worker a (here and "there"); the one beyond the maximum is yielded ...
      const activated = records.filter((r) => r.valueType === 'JOB_BATCH' && r.intent === 'ACTIVATED');
      const count = activated.reduce((n, r) => n + (r.value as { jobs: readonly unknown[] }).jobs.length, 0);
      assert.equal(count, 2);
      assert.equal(records.filter((r) => r.valueType === 'JOB' && r.intent === 'YIELDED').length, 1);
      off();
      // ... and activatable again at once.
      const again = await local.activateJobs({ ...ask, worker: 'other', requestTimeout: 0, localOnly: true });
      assert.equal(again.length, 1);
      assert.notEqual(again[0]!.key, jobs[0]!.key);
    } finally {
      await local.close();
    }
  });
});

function fakeRemote(pollJobs: RemotePartitions['pollJobs']): RemotePartitions {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    submit: unused,
    createInstanceWithResult: unused,
    activateJobs: async () => [],
    pollJobs,
    streamJobs: unused,
    topology: unused,
    runningInstancesOf: unused,
    read: unused,
  };
}
