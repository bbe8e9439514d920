import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedRecord } from '@baton-engine/engine';
import { createProcess } from '@baton-engine/builder';
import type { StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createSqliteStoreFactory } from '@baton-engine/store-sqlite';
import { createEngine } from './engine.js';
import type { Engine } from './engine.js';
import type { ExportBatch, Exporter, ExporterContext } from './runtime/exporter.js';

const flow = createProcess('flow').startEvent('s').endEvent('e').done();

/** An exporter that records what it is given and acknowledges every batch it takes. */
class RecordingExporter implements Exporter {
  readonly positions: number[] = [];
  readonly contexts: ExporterContext[] = [];
  closed = 0;
  private readonly waiters: { position: number; resolve: () => void }[] = [];

  constructor(
    readonly id: string,
    private readonly behaviour: {
      /** Throws for the batch instead of taking it while this returns an error. */
      fail?: (batch: ExportBatch) => Error | undefined;
      /** Acknowledges up to this position at most (default: everything). */
      ackUpTo?: number;
      /** The exporter's own stored position, told to the engine in open. */
      ownPosition?: number;
    } = {},
  ) {}

  open(context: ExporterContext): void {
    this.contexts.push(context);
    if (this.behaviour.ownPosition !== undefined) context.updatePosition(this.behaviour.ownPosition);
  }

  export(batch: ExportBatch): void {
    const error = this.behaviour.fail?.(batch);
    if (error) throw error;
    const context = this.contexts.find((c) => c.partitionId === batch.partitionId)!;
    for (const record of batch.records) this.positions.push(record.position);
    const last = batch.records[batch.records.length - 1]!.position;
    const ack = Math.min(last, this.behaviour.ackUpTo ?? last);
    if (ack > context.lastExportedPosition) context.updatePosition(ack);
    for (const waiter of this.waiters.filter((w) => w.position <= last)) waiter.resolve();
  }

  close(): void {
    this.closed++;
  }

  /** Resolves once a record at or past `position` was exported. */
  reached(position: number): Promise<void> {
    if (this.positions.some((p) => p >= position)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }
}

/** 1, 2, …, n: every position once, in order. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function work(engine: Engine, instances: number): Promise<number> {
  await engine.deploy(flow);
  for (let i = 0; i < instances; i++) await engine.createInstance('flow');
  await engine.flush();
  return engine.stats().partitions[0]!.lastPosition;
}

async function logOf(factory: StoreFactory): Promise<LoggedRecord[]> {
  const store = await factory.open(1);
  try {
    return await store.read(0, 1_000_000);
  } finally {
    await store.close();
  }
}

describe('exporters', () => {
  it('sees every committed record exactly once, in order, across a restart', async () => {
    const factory = createMemoryStoreFactory();
    const first = new RecordingExporter('audit');
    let engine = await createEngine({ store: factory, exporters: [first] });
    const before = await work(engine, 3);
    await engine.close();
    assert.deepEqual(first.positions, upTo(before));
    assert.equal(first.closed, 1, 'closed once, with the engine');

    const second = new RecordingExporter('audit');
    engine = await createEngine({ store: factory, exporters: [second] });
    assert.equal(second.contexts[0]!.lastExportedPosition, before, 'the saved position');
    const after = await work(engine, 2);
    await engine.close();
    assert.deepEqual([...first.positions, ...second.positions], upTo(after));
  });

  it('resumes after the position an exporter keeps itself, when the saved one is behind (a crash)', async () => {
    const factory = createMemoryStoreFactory();
    const first = new RecordingExporter('tables');
    let engine = await createEngine({ store: factory, exporters: [first] });
    const before = await work(engine, 2);
    await engine.close();
    // As if the process died before the runtime saved the exporter's last acknowledgement.
    const store = await factory.open(1);
    await store.saveExporterPosition('tables', 2);
    await store.close();

    const second = new RecordingExporter('tables', { ownPosition: before });
    engine = await createEngine({ store: factory, exporters: [second] });
    assert.equal(second.contexts[0]!.lastExportedPosition, 2);
    const after = await work(engine, 1);
    await engine.close();
    assert.deepEqual(
      [...first.positions, ...second.positions],
      upTo(after),
      'nothing twice, nothing skipped',
    );
  });

  it('hands a slow asynchronous exporter every record once, in order, while commands keep coming', async () => {
    const positions: number[] = [];
    let context!: ExporterContext;
    let inFlight = 0;
    let overlapped = false;
    let exportedUpTo = 0;
    let waiter: { position: number; resolve: () => void } | undefined;
    const slow: Exporter = {
      id: 'slow-async',
      open: (c) => void (context = c),
      async export({ records }) {
        overlapped ||= inFlight > 0;
        inFlight++;
        await new Promise((resolve) => setTimeout(resolve, 2));
        for (const r of records) positions.push(r.position);
        exportedUpTo = records[records.length - 1]!.position;
        context.updatePosition(exportedUpTo);
        inFlight--;
        if (waiter && exportedUpTo >= waiter.position) waiter.resolve();
      },
      close: () => undefined,
    };
    const engine = await createEngine({ store: 'memory', exporters: [slow] });
    try {
      await engine.deploy(flow);
      await Promise.all(Array.from({ length: 300 }, () => engine.createInstance('flow')));
      await engine.flush();
      const last = engine.stats().partitions[0]!.lastPosition;
      if (exportedUpTo < last) await new Promise<void>((resolve) => (waiter = { position: last, resolve }));
      assert.deepEqual(positions, upTo(last));
      assert.equal(engine.stats().partitions[0]!.exporters[0]!.lag, 0);
      assert.equal(overlapped, false, 'one export call at a time');
    } finally {
      await engine.close();
    }
  });

  it('retries a failing exporter with back-off while processing goes on, then exports in order', async () => {
    const attempts: number[] = [];
    let down = true;
    let fourthAttempt!: () => void;
    const fourAttempts = new Promise<void>((resolve) => (fourthAttempt = resolve));
    const exporter = new RecordingExporter('flaky', {
      fail: () => {
        attempts.push(performance.now());
        if (attempts.length === 4) fourthAttempt();
        return down ? new Error(`broker down (${attempts.length})`) : undefined;
      },
    });
    const warnings: string[] = [];
    const engine = await createEngine({
      store: 'memory',
      exporters: [exporter],
      exporterRetry: { initialDelayMs: 20, maxDelayMs: 1_000 },
      logger: { info: () => undefined, warn: (_, m) => warnings.push(m), error: (_, m) => warnings.push(m) },
    });
    try {
      // Every command is answered while the exporter fails.
      const last = await work(engine, 5);
      await fourAttempts;
      const failing = engine.stats().partitions[0]!.exporters[0]!;
      assert.equal(failing.position, 0);
      assert.equal(failing.lag, last);
      assert.ok(failing.failedAttempts >= 4);
      assert.match(failing.failure!, /broker down/);
      assert.deepEqual(exporter.positions, [], 'nothing taken while it fails');
      down = false;
      await exporter.reached(last);
      assert.deepEqual(exporter.positions, upTo(last), 'each record once, in log order');
      const gaps = attempts.slice(1, 4).map((t, i) => t - attempts[i]!);
      // Each wait at least the doubling delay (timers never fire early; a loaded machine only adds).
      gaps.forEach((gap, i) => assert.ok(gap >= 20 * 2 ** i - 2, `retry ${i + 1} after ${gap} ms`));
      assert.ok(warnings.length >= 2 && warnings.length < attempts.length, 'warned, not on every attempt');
      assert.deepEqual(engine.stats().partitions[0]!.exporters[0], {
        exporterId: 'flaky',
        position: last,
        lag: 0,
        failedAttempts: 0,
      });
    } finally {
      await engine.close();
    }
  });

  it('keeps the log from the slowest exporter on when compacting', async () => {
    const factory = createMemoryStoreFactory();
    const fast = new RecordingExporter('fast');
    const slow = new RecordingExporter('slow', { ackUpTo: 7 });
    const engine = await createEngine({
      store: factory,
      snapshotEveryRecords: 10,
      exporters: [fast, slow],
    });
    const last = await work(engine, 6);
    assert.equal(engine.stats().partitions[0]!.exporters.find((e) => e.exporterId === 'slow')!.lag, last - 7);
    await engine.close();
    const log = await logOf(factory);
    assert.equal(log[0]?.position, 8, 'compacted up to the slow exporter, not further');
    assert.equal(log[log.length - 1]!.position, last);

    // Without the slow one, the next snapshot compacts up to the state.
    const again = await createEngine({ store: factory, snapshotEveryRecords: 10, exporters: [fast] });
    await again.close();
    assert.deepEqual(await logOf(factory), []);
  });

  it('saves positions in the SQLite store: they survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exporters-'));
    const path = join(dir, 'baton.db');
    try {
      const first = new RecordingExporter('audit');
      let engine = await createEngine({ path, exporters: [first] });
      const before = await work(engine, 2);
      await engine.close();

      const factory = createSqliteStoreFactory({ path });
      const store = await factory.open(1);
      assert.deepEqual(await store.exporterPositions(), new Map([['audit', before]]));
      await store.close();
      await factory.close();

      const second = new RecordingExporter('audit');
      engine = await createEngine({ path, exporters: [second] });
      assert.equal(second.contexts[0]!.lastExportedPosition, before);
      const after = await work(engine, 1);
      await engine.close();
      assert.deepEqual(second.positions, upTo(after).slice(before));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds an exporter to a running engine: it catches up from the log, and stops when removed', async () => {
    const engine = await createEngine({ store: 'memory', partitions: 2 });
    try {
      await work(engine, 4);
      const late = new RecordingExporter('late');
      const remove = await engine.addExporter(late);
      const lasts = engine.stats().partitions.map((p) => p.lastPosition);
      assert.ok(lasts.every((last) => last > 0));
      assert.equal(
        late.positions.length,
        lasts[0]! + lasts[1]!,
        'resolved once both partitions are caught up',
      );
      assert.deepEqual(
        late.contexts.map((c) => c.partitionId),
        [1, 2],
      );
      await assert.rejects(engine.addExporter(new RecordingExporter('late')), /already added/);
      await remove();
      assert.equal(late.closed, 1);
      const seen = late.positions.length;
      await work(engine, 1);
      assert.equal(late.positions.length, seen, 'nothing exported after removal');
    } finally {
      await engine.close();
    }
  });

  it('refuses what is not an exporter, and an engine whose exporter cannot open', async () => {
    const engine = await createEngine({ store: 'memory' });
    try {
      await assert.rejects(
        engine.addExporter({ id: '', open() {}, export() {}, close() {} }),
        /non-empty string id/,
      );
      await assert.rejects(
        engine.addExporter({ id: 'x', open() {}, close() {} } as unknown as Exporter),
        /exporter 'x' has no export\(\) method/,
      );
    } finally {
      await engine.close();
    }
    const broken: Exporter = {
      id: 'broken',
      open: () => Promise.reject(new Error('no database')),
      export: () => undefined,
      close: () => undefined,
    };
    await assert.rejects(
      createEngine({ store: 'memory', exporters: [broken] }),
      /exporter 'broken' could not be opened on partition 1: no database/,
    );
  });
});
