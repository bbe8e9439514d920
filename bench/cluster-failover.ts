// Benchmark (issue 17): failover time of a Baton cluster on PostgreSQL. Three `baton start --cluster` node
// processes; the node leading the most partitions is SIGKILLed, and the time until every partition it led is
// led by a survivor (a live lease in the table) is measured; it is restarted and the cluster waits until the
// partitions are spread evenly again, then the next kill. A light load (instances created and completed
// through the SDK on the survivors) runs throughout unless --no-load.
//
// Run from the repository root:
//   node --conditions=baton-src --import tsx bench/cluster-failover.ts [--kills 20] [--partitions 6] [--nodes 3]
//     [--no-load] [--json]
// PostgreSQL: BATON_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), a fresh schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { threeTasks } from '../packages/baton/src/test-support/models.js';
import type { BatonProcess } from './cluster-support.js';
import {
  connect,
  evenlyLed,
  integerOption,
  leaders,
  POSTGRES_URL,
  sdkClient,
  startBaton,
  waitForLeaders,
  withSchema,
} from './cluster-support.js';
import { fmt, median } from './figures.js';

const args = process.argv.slice(2);
const kills = integerOption(args, 'kills', 20);
const partitions = integerOption(args, 'partitions', 6);
const nodeCount = integerOption(args, 'nodes', 3, 2);
const withLoad = !args.includes('--no-load');

/** Instances created one after the other through the given nodes, with workers completing their jobs. */
class Load {
  acknowledged = 0;
  refused = 0;
  private running = true;
  private loop: Promise<void> = Promise.resolve();
  private readonly closers: (() => Promise<unknown>)[] = [];

  static async start(ports: number[], deploy: boolean): Promise<Load> {
    const load = new Load();
    const clients = ports.map((port) => sdkClient(port));
    for (const zeebe of clients) {
      load.closers.push(() => zeebe.close());
      for (const type of ['task-a', 'task-b', 'task-c']) {
        const worker = zeebe.createWorker({
          taskType: type,
          pollInterval: 100,
          timeout: 10_000,
          taskHandler: (job) => job.complete(),
        });
        load.closers.unshift(() => worker.close());
      }
    }
    if (deploy)
      await clients[0]!.deployResource({ process: Buffer.from(threeTasks()), name: 'three-tasks.bpmn' });
    load.loop = (async () => {
      for (let i = 0; load.running; i++) {
        try {
          await clients[i % clients.length]!.createProcessInstance({
            bpmnProcessId: 'three-tasks',
            variables: {},
          });
          load.acknowledged += 1;
        } catch {
          load.refused += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();
    return load;
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    for (const close of this.closers) await close().catch(() => undefined);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-failover-'));
const schema = `bench_failover_${process.pid}_${Date.now()}`;
const url = withSchema(POSTGRES_URL, schema);
const pgClient = await connect(POSTGRES_URL);
const nodes = new Map<string, BatonProcess>();
const names = Array.from({ length: nodeCount }, (_, i) => `n${i + 1}`);
const start = (name: string) =>
  startBaton(name, join(dir, `${name}.db`), [
    '--cluster',
    url,
    '--node-id',
    name,
    ...(name === 'n1' ? ['--partitions', String(partitions)] : []),
  ]);

console.log(
  `cluster-failover: ${nodeCount} nodes, ${partitions} partitions, ${kills} kills of the node leading the most ` +
    `partitions (SIGKILL), ${withLoad ? 'under a light SDK load' : 'no load'}; default lease 5 s, a node taken ` +
    `for dead after 3 s without heartbeat; ${cpus().length} CPUs; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
const takeovers: number[] = [];
const firstTakeovers: number[] = [];
let load: Load | undefined;
try {
  for (const name of names) {
    nodes.set(name, await start(name));
    await waitForLeaders(pgClient, schema, 'an even spread', evenlyLed(partitions, [...nodes.keys()]));
  }
  for (let kill = 1; kill <= kills; kill++) {
    const before = await leaders(pgClient, schema);
    const counts = names.map((n) => [n, [...before.values()].filter((v) => v === n).length] as const);
    const [victim] = counts.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]!;
    const theirs = [...before].filter(([, n]) => n === victim).map(([p]) => p);
    const survivors = names.filter((n) => n !== victim);
    await load?.close();
    if (withLoad)
      load = await Load.start(
        survivors.map((n) => nodes.get(n)!.grpcPort),
        kill === 1,
      );

    const killedAt = performance.now();
    await nodes.get(victim)!.stop('SIGKILL');
    let first: number | undefined;
    await waitForLeaders(
      pgClient,
      schema,
      `${victim}'s partitions led again`,
      (now) => {
        const led = theirs.filter((p) => now.has(p) && now.get(p) !== victim).length;
        if (led > 0 && first === undefined) first = performance.now() - killedAt;
        return led === theirs.length;
      },
      60_000,
    );
    const took = performance.now() - killedAt;
    takeovers.push(took);
    firstTakeovers.push(first ?? took);
    console.log(
      `  kill ${String(kill).padStart(2)}/${kills}: ${victim} (partitions ${theirs.join(',')}) → led again after ` +
        `${fmt(took, 0)} ms (first ${fmt(first ?? took, 0)} ms)${load ? `; ${load.acknowledged} instances created through the survivors this round, ${load.refused} refused` : ''}`,
    );
    nodes.set(victim, await start(victim));
    await waitForLeaders(pgClient, schema, 'an even spread again', evenlyLed(partitions, names));
  }
  const sorted = [...takeovers].sort((a, b) => a - b);
  console.log(
    `\nFailover over ${kills} kills: every partition of the killed node led again after median ` +
      `${fmt(median(takeovers), 0)} ms, max ${fmt(sorted[sorted.length - 1]!, 0)} ms, min ${fmt(sorted[0]!, 0)} ms ` +
      `(first partition: median ${fmt(median(firstTakeovers), 0)} ms).` +
      '\nThe floor is the lease (5 s after its last renewal, up to a second before the kill) plus the next look' +
      '\nof a survivor (every second) and the partition’s recovery (snapshot + log).',
  );
  if (args.includes('--json'))
    console.log(JSON.stringify({ kills, partitions, nodeCount, takeovers, firstTakeovers }));
} finally {
  await load?.close();
  for (const node of nodes.values()) await node.stop('SIGKILL');
  await pgClient.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pgClient.end();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
