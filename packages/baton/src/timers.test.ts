import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from './engine.js';
import { ControlledClock } from './runtime/clock.js';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  boundary,
  catchEvent,
  chain,
  end,
  flow,
  model,
  serviceTask,
  start,
  task,
} from './test-support/event-models.js';
import { stateOf } from './internal.js';

const HOUR = 3_600_000;

async function settle(engine: { flush(): Promise<void> }) {
  for (let i = 0; i < 5; i++) {
    await engine.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('timers', () => {
  it('an intermediate timer catch event waits for its duration', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('wait', [
        start('s'),
        catchEvent('t', { timer: 'duration', value: 'PT10M' }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    const instance = await engine.createInstance('wait');
    clock.advance(9 * 60_000);
    await settle(engine);
    assert.equal(completed(records, instance.processInstanceKey), false);
    clock.advance(60_000);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the timer to fire');
    await engine.close();
  });

  it('evaluates FEEL timer expressions, and dates', async () => {
    const { engine, clock, records } = await memoryEngine();
    const due = new Date(clock.now() + 2 * HOUR).toISOString();
    await engine.deploy(
      model('feel', [
        start('s'),
        catchEvent('t', { timer: 'duration', value: '=delay' }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    await engine.deploy(
      model('date', [
        start('s'),
        catchEvent('t', { timer: 'date', value: due }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    const a = await engine.createInstance('feel', { delay: 'PT1H' });
    const b = await engine.createInstance('date');
    clock.advance(HOUR);
    await waitFor(() => completed(records, a.processInstanceKey), 'the FEEL duration');
    assert.equal(completed(records, b.processInstanceKey), false);
    clock.advance(HOUR);
    await waitFor(() => completed(records, b.processInstanceKey), 'the date');
    await engine.close();
  });

  it('a malformed duration from an expression is an incident naming the element, not a crash', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('bad', [
        start('s'),
        catchEvent('t', { timer: 'duration', value: '=delay' }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    await engine.createInstance('bad', { delay: 'ten minutes' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.elementId, 't');
    assert.match(incident!.value.errorMessage, /Invalid timer duration 'ten minutes'/);
    await engine.createInstance('bad', { delay: 'PT1M' }); // the partition keeps serving
    await engine.close();
  });

  it('rejects a deployment with a malformed static duration or cron', async () => {
    const { engine } = await memoryEngine();
    await assert.rejects(
      engine.deploy(
        model('bad', [
          start('s'),
          catchEvent('t', { timer: 'duration', value: 'PT1X' }),
          end('e'),
          ...chain('s', 't', 'e'),
        ]),
      ),
      (e: BatonError) =>
        e.code === 'INVALID_ARGUMENT' && /element 't'.*invalid timer duration 'PT1X'/.test(e.message),
    );
    await assert.rejects(
      engine.deploy(
        model('bad2', [start('s', { timer: 'cycle', value: '0 0 25 * * *' }), end('e'), flow('s', 'e')]),
      ),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /element 's'.*invalid timer cycle/.test(e.message),
    );
    await engine.close();
  });

  it('an interrupting boundary timer cancels the task and takes its own path', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('sla', [
        start('s'),
        serviceTask('work', 'slow'),
        boundary('late', 'work', { timer: 'duration', value: 'PT1H' }),
        end('done'),
        task('escalate'),
        end('escalated'),
        ...chain('s', 'work', 'done'),
        ...chain('late', 'escalate', 'escalated'),
      ]),
    );
    const instance = await engine.createInstance('sla');
    const job = await activateOne(engine, 'slow');
    clock.advance(HOUR);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the boundary path');
    const path = trail(records, instance.processInstanceKey);
    assert.ok(path.includes('work:ELEMENT_TERMINATED'));
    assert.ok(path.includes('escalated:ELEMENT_COMPLETED'));
    assert.ok(!path.includes('done:ELEMENT_COMPLETED'));
    await assert.rejects(engine.completeJob(job.key), (e: BatonError) => e.code === 'NOT_FOUND');
    await engine.close();
  });

  it('a non-interrupting cycle boundary fires repeatedly while the task waits, then stops with it', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('reminders', [
        start('s'),
        serviceTask('work', 'slow'),
        boundary('tick', 'work', { timer: 'cycle', value: 'R3/PT1H' }, { interrupting: false }),
        task('remind'),
        end('reminded'),
        end('done'),
        ...chain('s', 'work', 'done'),
        ...chain('tick', 'remind', 'reminded'),
      ]),
    );
    const instance = await engine.createInstance('reminders');
    const reminders = () =>
      trail(records, instance.processInstanceKey).filter((t) => t === 'reminded:ELEMENT_COMPLETED').length;
    for (let hour = 1; hour <= 4; hour++) {
      clock.advance(HOUR);
      await settle(engine);
    }
    assert.equal(reminders(), 3, 'R3 fires three times');
    const job = await activateOne(engine, 'slow');
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    assert.equal(stateOf(engine).waits.timers.size, 0);
    await engine.close();
  });

  it('timer start events create instances on schedule; redeploying replaces the schedule', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('cron', [start('s', { timer: 'cycle', value: 'R/PT1H' }), end('e'), flow('s', 'e')]),
    );
    const starts = () =>
      records.filter(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE' &&
          r.intent === 'ELEMENT_COMPLETED' &&
          r.value.elementId === 'cron',
      ).length;
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR);
      await settle(engine);
    }
    assert.equal(starts(), 3);
    await engine.deploy(
      model('cron', [start('s2', { timer: 'cycle', value: 'R/PT2H' }), end('e'), flow('s2', 'e')]),
    );
    const timers = [...stateOf(engine).waits.timers.values()];
    assert.equal(timers.length, 1);
    assert.equal(timers[0]!.value.targetElementId, 's2');
    clock.advance(HOUR);
    await settle(engine);
    assert.equal(starts(), 3, 'the old hourly schedule is gone');
    clock.advance(HOUR);
    await settle(engine);
    assert.equal(starts(), 4);
    await engine.close();
  });

  it('a due timer fires after a restart that happened while it was waiting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-timer-'));
    const path = join(dir, 't.db');
    try {
      const clock = new ControlledClock();
      let engine = await createEngine({ path, clock });
      await engine.deploy(
        model('wait', [
          start('s'),
          catchEvent('t', { timer: 'duration', value: 'P14D' }),
          end('e'),
          ...chain('s', 't', 'e'),
        ]),
      );
      const instance = await engine.createInstance('wait');
      await engine.close();
      clock.advance(15 * 24 * HOUR); // the engine was down when the timer fell due
      engine = await createEngine({ path, clock });
      const records: LoggedRecord[] = [];
      engine.onRecords((batch) => records.push(...batch));
      clock.advance(0);
      // The first write after a restart starts the store's writer thread (a second or so on a loaded machine).
      await waitFor(
        () => completed(records, instance.processInstanceKey),
        'the overdue timer after restart',
        15_000,
      );
      await engine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
