import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActivatedJob, Engine, BatonError } from '@baton-engine/baton';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { ClusterMembership } from '@baton-engine/store-postgres';
import { nodesBAndC } from './test-support/internal-endpoints.js';
import { RemoteLeaders } from './remote-leaders.js';

const SECRET = 'test-secret';

/**
 * Node `c` serves partitions 1 and 2 from an engine in this process behind its internal endpoint; node `b`
 * holds the lease of partition 3 but does not answer (nothing listens at its address); partition 4 has no
 * leader. This process is node `a`, leading nothing.
 */
let engine: Engine;
let internal: { address: string; close(): Promise<void> };
let remote: RemoteLeaders;

before(async () => {
  engine = await createEngine({ store: 'memory', partitions: 2 });
  await engine.deploy(
    await createProcess('p').startEvent().serviceTask('t', { type: 'work' }).endEvent().toXml(),
  );
  const nodes = await nodesBAndC(engine, SECRET);
  internal = nodes.internal;
  const { nobody, leaders } = nodes;
  const membership = {
    leaders: async () => leaders,
    liveNodes: async () => [
      {
        node: 'b',
        address: '10.0.0.2:26500',
        startedAt: new Date(),
        lastSeen: new Date(),
        internalAddress: nobody,
      },
      {
        node: 'c',
        address: '[::1]:26500',
        startedAt: new Date(),
        lastSeen: new Date(),
        internalAddress: internal.address,
      },
    ],
  } as unknown as ClusterMembership;
  remote = new RemoteLeaders(membership, 'a', SECRET, 3_000);
  remote.address = '10.0.0.1:26500';
});

after(async () => {
  await internal?.close();
  await engine?.close();
});

describe('RemoteLeaders (the other nodes, through their internal endpoints)', () => {
  it('topology: every live node and this one, each with what it serves; a silent node with its leases, unhealthy', async () => {
    const nodes = await remote.topology([]);
    assert.deepEqual(nodes, [
      { node: 'a', address: '10.0.0.1:26500', self: true, partitions: [] },
      {
        node: 'b',
        address: '10.0.0.2:26500',
        self: false,
        partitions: [{ partitionId: 3, role: 'LEADER', health: 'UNHEALTHY' }],
      },
      {
        node: 'c',
        address: '[::1]:26500',
        self: false,
        partitions: [
          { partitionId: 1, role: 'LEADER', health: 'HEALTHY' },
          { partitionId: 2, role: 'LEADER', health: 'HEALTHY' },
        ],
      },
    ]);
  });

  it('running instances: counted by the leaders; a partition without a leader that answers is UNAVAILABLE, named', async () => {
    const instance = await engine.createInstance('p');
    const definition = instance.processDefinitionKey;
    assert.equal(await remote.runningInstancesOf(definition, [1, 2]), 1);
    await assert.rejects(
      remote.runningInstancesOf(definition, [1, 3]),
      (e: BatonError) => e.code === 'UNAVAILABLE' && /node b .*partition\(s\) 3/.test(e.message),
    );
    await assert.rejects(
      remote.runningInstancesOf(definition, [4]),
      (e: BatonError) => e.code === 'UNAVAILABLE' && /partition 4 has no leader/.test(e.message),
    );
    await engine.cancelInstance(instance.processInstanceKey);
    assert.equal(await remote.runningInstancesOf(definition, [1, 2]), 0);
  });

  it('job stream: jobs created on the other node are pushed here; closing it ends it there', async () => {
    const abort = new AbortController();
    const received: ActivatedJob[] = [];
    let arrived: () => void = () => undefined;
    const twoArrived = new Promise<void>((resolve) => (arrived = resolve));
    const streaming = remote.streamJobs(
      { type: 'work', worker: 'a-stream', timeout: 60_000, maxJobsToActivate: 32 },
      async (jobs) => {
        received.push(...jobs);
        if (received.length >= 2) arrived();
      },
      abort.signal,
    );
    const created = [await engine.createInstance('p'), await engine.createInstance('p')];
    await Promise.race([
      twoArrived,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no jobs pushed in 10 s')), 10_000)),
    ]);
    abort.abort();
    await streaming;
    assert.deepEqual(
      received.map((j) => j.processInstanceKey).sort(),
      created.map((i) => i.processInstanceKey).sort(),
    );
    // The jobs are activated for the stream's worker, and no other stream is left activating jobs there.
    assert.ok(received.every((j) => j.worker === 'a-stream'));
    await engine.createInstance('p');
    const [left] = await engine.activateJobs({
      type: 'work',
      worker: 'w',
      timeout: 1_000,
      maxJobsToActivate: 5,
      requestTimeout: 2_000,
    });
    assert.ok(left, 'a job created after the stream closed stays for others');
    for (const job of [...received, left]) await engine.completeJob(job.key);
  });

  it('job stream closed while jobs are on their way: they still reach `deliver`, which can yield them', async () => {
    const abort = new AbortController();
    const before: ActivatedJob[] = [];
    const afterClose: ActivatedJob[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstArrived: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (firstArrived = resolve));
    const streaming = remote.streamJobs(
      { type: 'work', worker: 'a-stream', timeout: 60_000, maxJobsToActivate: 1 },
      async (jobs) => {
        if (abort.signal.aborted) {
          // What the gateway does with jobs for a stream that is gone.
          afterClose.push(...jobs);
          for (const job of jobs) await engine.yieldJob(job.key);
          return;
        }
        before.push(...jobs);
        firstArrived();
        await held; // a slow client: the next batch waits on the connection
      },
      abort.signal,
    );
    await engine.createInstance('p');
    await first;
    // The second job is activated for the stream and written while the client still holds the first.
    const activated = new Promise<void>((resolve) => {
      const off = engine.onRecords((records) => {
        if (records.some((r) => r.valueType === 'JOB_BATCH' && r.intent === 'ACTIVATED')) {
          off();
          resolve();
        }
      });
    });
    const second = await engine.createInstance('p');
    await activated;
    abort.abort();
    release();
    await streaming;
    assert.equal(before.length, 1);
    assert.deepEqual(
      afterClose.map((j) => j.processInstanceKey),
      [second.processInstanceKey],
    );
    // Yielded: activatable again at once, for another worker.
    const [again] = await engine.activateJobs({
      type: 'work',
      worker: 'w',
      timeout: 1_000,
      maxJobsToActivate: 5,
    });
    assert.equal(again?.key, afterClose[0]!.key);
    for (const job of [...before, again!]) await engine.completeJob(job.key);
  });

  it("reads: a partition's forms and batch operations as its leader answers; NOT_FOUND as the engine says", async () => {
    assert.equal(await remote.read(1, { kind: 'latest-form', formId: 'none' }, () => undefined), null);
    assert.deepEqual(
      await remote.read(2, { kind: 'batch-operations', withItems: true }, () => undefined),
      [],
    );
    await assert.rejects(
      remote.read(2, { kind: 'user-task-form', userTaskKey: '4503599627370999' }, () => undefined),
      (error: BatonError) =>
        error.code === 'NOT_FOUND' && /open user task with key '4503599627370999'/.test(error.message),
    );
    await assert.rejects(
      remote.read(1, { kind: 'start-form', processDefinitionKey: '2251799813685999' }, () => undefined),
      (error: BatonError) => error.code === 'NOT_FOUND' && /process definition/.test(error.message),
    );
    // Partition 4 has no leader; taken over here meanwhile, the read is answered here.
    let here = false;
    const answer = await remote.read(4, { kind: 'batch-operations', withItems: false }, () => {
      if (!here) return ((here = true), undefined);
      return () => [];
    });
    assert.deepEqual(answer, []);
  });

  it('refuses a caller without the secret', async () => {
    const response = await fetch(`${internal.address}/internal/topology`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 401);
  });
});
