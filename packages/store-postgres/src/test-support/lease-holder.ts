// A node in its own process, for the fencing tests: it takes partition 1 and appends to it in a loop, one
// record per append, reporting each outcome as a JSON line on stdout. Its writes ask the database every time
// (the fence does not short-circuit once the keeper knows the lease is lost), so that what refuses a deposed
// leader's append is the database. It exits once three appends were refused after it stepped down.
//
// Arguments: connection string, schema, node id, lease ms, renew-every ms.
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseKeeper } from '../lease-keeper.js';
import { LeaseLostError } from '../lease-lost-error.js';
import { createPostgresStoreFactory } from '../postgres-store.js';
import { writtenBy } from './records.js';

const [connectionString, schema, node, leaseMs, renewEveryMs] = process.argv.slice(2);
if (!connectionString || !schema || !node || !leaseMs || !renewEveryMs) {
  console.error('usage: lease-holder <connection string> <schema> <node> <lease ms> <renew every ms>');
  process.exit(64);
}
const report = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const factory = await createPostgresStoreFactory({ connectionString, schema, poolSize: 2 });
const keeper = await LeaseKeeper.acquire({
  leases: factory.leases,
  partitionId: 1,
  node,
  leaseMs: Number(leaseMs),
  renewEveryMs: Number(renewEveryMs),
});
if (!keeper) {
  report({ event: 'not-leader' });
  await factory.close();
  process.exit(2);
}
let steppedDown = false;
keeper.on('lost', (error) => {
  steppedDown = true;
  report({ event: 'stepped-down', reason: error.message });
});
report({ event: 'leading', epoch: keeper.epoch });
const store = await factory.open(1, {
  fence: { node, epoch: keeper.epoch, markLost: (error) => keeper.markLost(error) },
});

let refusedSinceSteppingDown = 0;
while (refusedSinceSteppingDown < 3) {
  const position = (await store.lastPosition()) + 1;
  try {
    await store.append([writtenBy(1, position, node)]);
    report({ event: 'appended', position });
  } catch (error) {
    if (!(error instanceof LeaseLostError)) throw error;
    report({ event: 'refused', position, error: error.name, message: error.message });
    if (steppedDown) refusedSinceSteppingDown += 1;
  }
  await sleep(5);
}
await keeper.release();
await store.close();
await factory.close();
report({ event: 'exited' });
