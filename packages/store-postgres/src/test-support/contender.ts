// A node in its own process that claims partition 1 again and again: it waits for the lease, appends records
// tagged `<node>@<epoch>` until its lease is lost, reports that it stepped down, and claims it anew (a new
// epoch). Its writes ask the database every time. Outcomes are JSON lines on stdout; it exits when its stdin
// closes (the test ends it), or after five minutes at the latest.
//
// Arguments: connection string, schema, node id, lease ms, renew-every ms.
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseKeeper } from '../lease-keeper.js';
import { LeaseLostError } from '../lease-lost-error.js';
import { createPostgresStoreFactory } from '../postgres-store.js';
import { writtenBy } from './records.js';

const [connectionString, schema, node, leaseMs, renewEveryMs] = process.argv.slice(2);
if (!connectionString || !schema || !node || !leaseMs || !renewEveryMs) {
  console.error('usage: contender <connection string> <schema> <node> <lease ms> <renew every ms>');
  process.exit(64);
}
const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
let done = false;
process.stdin.on('end', () => (done = true)).resume();
const stopAt = Date.now() + 5 * 60_000;

const factory = await createPostgresStoreFactory({ connectionString, schema, poolSize: 2 });
while (!done && Date.now() < stopAt) {
  const keeper = await LeaseKeeper.acquire({
    leases: factory.leases,
    partitionId: 1,
    node,
    leaseMs: Number(leaseMs),
    renewEveryMs: Number(renewEveryMs),
  });
  if (!keeper) {
    await sleep(25);
    continue;
  }
  report({ event: 'leading', epoch: keeper.epoch });
  const lost = new Promise<LeaseLostError>((resolve) => keeper.once('lost', resolve));
  const store = await factory.open(1, {
    fence: { node, epoch: keeper.epoch, markLost: (error) => keeper.markLost(error) },
  });
  let leading = true;
  void lost.then((error) => {
    leading = false;
    report({ event: 'stepped-down', epoch: keeper.epoch, reason: error.message });
  });
  while (leading && !done) {
    const position = (await store.lastPosition()) + 1;
    try {
      await store.append([writtenBy(1, position, `${node}@${keeper.epoch}`)]);
      report({ event: 'appended', epoch: keeper.epoch, position });
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      report({ event: 'refused', epoch: keeper.epoch, position });
      await lost;
    }
    await sleep(5);
  }
  await keeper.release();
  await store.close();
}
await factory.close();
report({ event: 'exited' });
