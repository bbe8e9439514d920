import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from '@baton-engine/baton';
import type { Bus } from './bus/bus.js';
import { AmqpBus } from './bus/amqp-bus.js';
import { NatsBus } from './bus/nats-bus.js';
import { BUS_PUBLISH_JOB_TYPE } from './config.js';
import { startConnectors } from './connectors.js';
import { silentLog } from './log.js';
import { amqpNamespace, natsNamespace, requireBroker } from './test-support/brokers.js';
import { collectEnvelopes, waitUntil } from './test-support/fixture.js';
import { wrapBus } from './test-support/wrap-bus.js';
import { partitionOf, stateOf } from '@baton-engine/baton/internal';

const child = fileURLToPath(new URL('./test-support/outbox-crash-child.ts', import.meta.url));
const CRASH_AFTER = 100;

/** Runs the child until it kills itself; returns what it acknowledged and what the broker confirmed to it. */
async function runUntilCrash(args: string[]): Promise<{ acked: Set<string>; published: Set<string> }> {
  const acked = new Set<string>();
  const published = new Set<string>();
  const proc = spawn(process.execPath, ['--conditions=baton-src', '--import', 'tsx', child, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('ACK ')) acked.add(line.slice(4));
      if (line.startsWith('PUBLISHED ')) published.add(line.slice(10));
    }
  });
  const signal = await new Promise<string | null>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (_code, sig) => resolve(sig));
  });
  assert.equal(signal, 'SIGKILL', 'the child died by SIGKILL after its confirm');
  return { acked, published };
}

const kinds = {
  nats: () => {
    const ns = natsNamespace();
    return { ...ns, bus: () => new NatsBus(ns.options) as Bus };
  },
  amqp: () => {
    const ns = amqpNamespace();
    return { ...ns, bus: () => new AmqpBus(ns.options) as Bus };
  },
};

for (const kind of ['nats', 'amqp'] as const) {
  describe(`outbox crash safety (${kind === 'nats' ? 'NATS JetStream' : 'RabbitMQ'})`, () => {
    it('killed between commit and publish, and between publish and completion: every message goes out, with its one id', async (t) => {
      await requireBroker(kind);
      const namespace = kinds[kind]();
      const dir = mkdtempSync(join(tmpdir(), 'baton-outbox-crash-'));
      t.after(async () => {
        rmSync(dir, { recursive: true, force: true });
        await namespace.dispose();
      });
      const path = join(dir, 'outbox.db');
      // A consumer that outlives the crash: it is where we count what reached the broker.
      const spyBus = namespace.bus();
      t.after(() => spyBus.close());
      await waitUntil(() => spyBus.state === 'connected', 'the spy to connect', 15_000);
      const spy = await collectEnvelopes(spyBus, 'orders.placed', 'spy');

      const { acked, published } = await runUntilCrash([
        path,
        kind,
        JSON.stringify(namespace.options),
        String(CRASH_AFTER),
      ]);
      assert.equal(published.size, CRASH_AFTER);

      // Restart on the same file with fresh connectors.
      const engine = await createEngine({ path });
      t.after(() => engine.close());
      const log = await partitionOf(engine).readLog(1, 10_000_000);
      const jobs = log.filter(
        (r) =>
          r.recordType === 'EVENT' &&
          r.valueType === 'JOB' &&
          r.intent === 'CREATED' &&
          r.value.type === BUS_PUBLISH_JOB_TYPE,
      );
      const expectedIds = new Set(jobs.map((job) => `crash-test:${job.key}`));
      const notYetPublished = [...expectedIds].filter((id) => !published.has(id));
      const state = stateOf(engine);
      const pending = new Set([...acked].filter((key) => state.elementInstance(key)));
      const publishedNotCompleted = jobs.filter(
        (job) => state.job(job.key) && published.has(`crash-test:${job.key}`),
      );
      assert.ok(notYetPublished.length > 0, 'the crash left committed messages that were never published');
      assert.ok(
        publishedNotCompleted.length > 0,
        'the crash left published messages whose jobs were not completed',
      );
      for (const key of acked)
        assert.ok(
          jobs.some(
            (j) => j.recordType === 'EVENT' && j.valueType === 'JOB' && j.value.processInstanceKey === key,
          ),
          `acknowledged instance ${key} has its job`,
        );

      engine.onRecords((records) => {
        for (const record of records) if (isProcessCompleted(record)) pending.delete(record.key);
      });
      const republished: string[] = [];
      const bus = recording(namespace.bus(), republished);
      const connectors = await startConnectors(
        engine,
        {
          bus: { kind: 'memory' },
          source: 'crash-test',
          outbound: { jobTimeout: 2_000 },
          modelSubscriptions: false,
        },
        { bus, log: silentLog },
      );
      t.after(async () => {
        await connectors.stop();
        await bus.close();
      });
      // Jobs taken before the crash come back after their 2 s timeout.
      await waitUntil(() => pending.size === 0, `${pending.size} interrupted instances to complete`, 60_000);
      await waitUntil(
        () => new Set(spy.envelopes.map((e) => e.id)).size === expectedIds.size,
        'every message at the spy',
        30_000,
      );

      assert.deepEqual(
        new Set(spy.envelopes.map((e) => e.id)),
        expectedIds,
        'exactly the committed messages reached the broker',
      );
      const again = publishedNotCompleted.map((job) => `crash-test:${job.key}`);
      for (const id of again)
        assert.ok(republished.includes(id), `${id} was published again after the restart, with the same id`);
      if (kind === 'nats') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(
          spy.deliveries.length,
          expectedIds.size,
          'JetStream dropped the republished duplicates (Nats-Msg-Id)',
        );
      } else {
        // RabbitMQ has no de-duplication: a consumer sees the ones published again twice and drops them by id.
        // (Besides those confirmed before the kill, a publish the broker took but confirmed too late is among them.)
        const counts = new Map<string, number>();
        for (const d of spy.deliveries) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
        for (const [id, n] of counts) {
          if (n > 1) assert.ok(n === 2 && republished.includes(id), `${id} arrived ${n} times`);
        }
        for (const id of again)
          assert.equal(counts.get(id), 2, `${id} was delivered before and after the crash`);
      }
      t.diagnostic(
        `${acked.size} instances acknowledged before the kill; ${published.size} messages confirmed before it, ` +
          `${notYetPublished.length} committed but unpublished, ${again.length} published but not completed (sent again)`,
      );
    });
  });
}

function recording(inner: Bus, ids: string[]): Bus {
  return wrapBus(inner, async (subject, message, next) => {
    await next(subject, message);
    ids.push(message.id);
  });
}

function isProcessCompleted(record: LoggedRecord): boolean {
  return (
    record.recordType === 'EVENT' &&
    record.valueType === 'PROCESS_INSTANCE' &&
    record.intent === 'ELEMENT_COMPLETED' &&
    record.value.flowScopeKey === '-1'
  );
}
