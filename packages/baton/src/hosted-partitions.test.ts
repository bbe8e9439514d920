import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from './engine.js';
import { oneTask } from './test-support/models.js';

describe('partitions hosted later (a cluster node taking a lease)', () => {
  it(
    'tells listeners what is hosted, and a waiting long poll finds the jobs a partition brings from its log',
    {
      timeout: 30_000,
    },
    async () => {
      // One store for two engines in turn, as a cluster's database outlives its nodes.
      const store = createMemoryStoreFactory();
      const before = await createEngine({ store, partitions: 2, hostedPartitions: [2] });
      await before.deploy(oneTask('p', 'recovered-work'));
      const { processInstanceKey } = await before.createInstance('p');
      await before.close();

      const engine = await createEngine({ store, partitions: 2, hostedPartitions: [] });
      try {
        const seen: number[][] = [];
        const off = engine.onHostedPartitionsChange((hosted) => seen.push([...hosted]));
        // Waiting longer than the test may run: only the partition's arrival can answer it in time.
        const poll = engine.activateJobs({
          type: 'recovered-work',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 1,
          requestTimeout: 120_000,
        });
        await engine.hostPartition(2);
        const jobs = await poll;
        assert.deepEqual(
          jobs.map((j) => j.processInstanceKey),
          [processInstanceKey],
        );
        await engine.hostPartition(1);
        await engine.releasePartition(2);
        off();
        await engine.releasePartition(1);
        assert.deepEqual(seen, [[2], [1, 2], [1]]);
      } finally {
        await engine.close();
      }
    },
  );
});
