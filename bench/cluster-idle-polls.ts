// Benchmark (issue 17): what idle long polls cost a cluster. N cluster nodes in this process (one partition
// each, on a fresh PostgreSQL schema), one worker per node long-polling a job type that has no jobs
// (requestTimeout 10 s, again and again); counts the internal requests the nodes make to each other over the
// measured window, by route, and the CPU time of the process (every node) over it.
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/cluster-idle-polls.ts [--nodes 3] [--seconds 20]
// PostgreSQL: BATON_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresStoreFactory } from '@baton-engine/store-postgres';
import type { PostgresStoreFactory } from '@baton-engine/store-postgres';
import { ClusterNode } from '../packages/cli/src/cluster/cluster-node.js';
import { integerOption, POSTGRES_URL } from './cluster-support.js';

const args = process.argv.slice(2);
const nodeCount = integerOption(args, 'nodes', 3, 2);
const seconds = integerOption(args, 'seconds', 20);
const schema = `bench_idle_polls_${randomBytes(4).toString('hex')}`;

const counts = new Map<string, number>();
let counting = false;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (counting) {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return realFetch(input, init);
};

const factories: PostgresStoreFactory[] = [];
const nodes: ClusterNode[] = [];
const stop = new AbortController();
try {
  for (let i = 1; i <= nodeCount; i++) {
    const factory = await createPostgresStoreFactory({ connectionString: POSTGRES_URL, schema });
    factories.push(factory);
    const node = await ClusterNode.open({ factory, node: `n${i}`, partitions: nodeCount });
    nodes.push(node);
    await node.join('127.0.0.1:0', { host: '127.0.0.1', port: 0 });
  }
  const balanced = Date.now() + 60_000;
  while (nodes.some((n) => n.stats().leading.length !== 1)) {
    if (Date.now() > balanced) throw new Error('the partitions were not spread over the nodes in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const polls = nodes.map(async (node) => {
    while (!stop.signal.aborted)
      await node.engine.activateJobs({
        type: 'nothing-to-do',
        worker: 'idle',
        timeout: 1_000,
        maxJobsToActivate: 32,
        requestTimeout: 10_000,
        signal: stop.signal,
      });
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  counting = true;
  const cpuBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
  const cpu = process.cpuUsage(cpuBefore);
  counting = false;
  stop.abort();
  await Promise.all(polls);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${nodeCount} nodes, ${nodeCount} idle long-polling workers, ${seconds} s: ${(total / seconds).toFixed(1)} internal requests/s, ${((cpu.user + cpu.system) / 1_000 / seconds).toFixed(1)} ms CPU/s (every node)`,
  );
  for (const [path, n] of [...counts].sort()) console.log(`  ${path}: ${(n / seconds).toFixed(2)}/s`);
} finally {
  stop.abort();
  for (const node of nodes) await node.stop().catch(() => undefined);
  for (const factory of factories) await factory.close().catch(() => undefined);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
