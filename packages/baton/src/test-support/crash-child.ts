// Runs load against an SQLite engine until killed: prints "ACK <key>" for every acknowledged instance
// creation and "DONE <key>" for every completed job. The parent SIGKILLs it mid-run.
import { createEngine } from '../engine.js';
import { threeTasks } from './models.js';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-child <db-path>');
const engine = await createEngine({ path, snapshotEveryRecords: 1e9 });
await engine.deploy(threeTasks());
for (const type of ['task-a', 'task-b', 'task-c']) {
  engine.createWorker({ type, maxJobsActive: 16, timeout: 2_000, handler: () => ({ [type]: true }) });
}
process.stdout.write('READY\n');
const inFlight = new Set<Promise<void>>();
for (let i = 0; ; i++) {
  const creation: Promise<void> = engine
    .createInstance('three-tasks', { i })
    .then((instance) => void process.stdout.write(`ACK ${instance.processInstanceKey}\n`))
    .catch(() => undefined)
    .finally(() => inFlight.delete(creation));
  inFlight.add(creation);
  if (inFlight.size >= 50) await Promise.race(inFlight);
}
