import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOfKey } from '@baton-engine/engine';
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
} from '../test-support/event-models.js';
import { createTestEngine, expectInstance, spanToMillis } from './index.js';
import type { TestEngine } from './index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('spanToMillis', () => {
  const jan31 = Date.UTC(2030, 0, 31, 12);

  it('reads ISO 8601 durations and plain milliseconds', () => {
    assert.equal(spanToMillis('PT10M', jan31), 10 * MINUTE);
    assert.equal(spanToMillis('P14D', jan31), 14 * DAY);
    assert.equal(spanToMillis('P2W', jan31), 14 * DAY);
    assert.equal(spanToMillis('P1DT2H3M4.5S', jan31), DAY + 2 * HOUR + 3 * MINUTE + 4_500);
    assert.equal(spanToMillis('PT0,25S', jan31), 250);
    assert.equal(spanToMillis(1_500, jan31), 1_500);
    assert.equal(spanToMillis(0, jan31), 0);
  });

  it('counts months and years on the calendar, from the given instant', () => {
    // The same 'P1M' is 31 days from January and 28 from February (2030 is no leap year).
    assert.equal(spanToMillis('P1M', Date.UTC(2030, 0, 15)), 31 * DAY);
    assert.equal(spanToMillis('P1M', Date.UTC(2030, 1, 15)), 28 * DAY);
    assert.equal(spanToMillis('P1Y', Date.UTC(2030, 0, 1)), 365 * DAY);
    assert.equal(spanToMillis('P1Y', Date.UTC(2032, 0, 1)), 366 * DAY);
  });

  it('names what it cannot read', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '10M', 'PT-1S', 'P1H', 'ten minutes']) {
      assert.throws(() => spanToMillis(bad, jan31), /Expected an ISO 8601 duration such as 'PT10M'/, bad);
    }
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => spanToMillis(bad, jan31), /Expected a non-negative number of milliseconds/);
    }
  });
});

describe('advanceTime', () => {
  let harness: TestEngine;
  afterEach(() => harness.close());

  it('fires a timer of fourteen days at once', async () => {
    harness = await createTestEngine();
    await harness.deploy(
      model('reminder', [
        start('s'),
        catchEvent('wait', { timer: 'duration', value: 'P14D' }),
        end('e'),
        ...chain('s', 'wait', 'e'),
      ]),
    );
    const instance = await harness.createInstance('reminder');
    await expectInstance(instance).toBeWaitingAt('wait');
    const started = harness.now();
    await harness.advanceTime('P13DT23H59M');
    await expectInstance(instance).toBeWaitingAt('wait');
    await harness.advanceTime('PT1M');
    await expectInstance(instance).toHaveCompleted();
    assert.equal(harness.now(), started + 14 * DAY);
  });

  it('fires each due item at its own time and in order, also what firing schedules', async () => {
    harness = await createTestEngine();
    await harness.deploy(
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
    const t0 = harness.now();
    const instance = await harness.createInstance('reminders');
    await harness.advanceTime('P1D');
    const fired = harness.records
      .filter((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')
      .map((r) => r.timestamp - t0);
    assert.deepEqual(fired, [HOUR, 2 * HOUR, 3 * HOUR], 'R3/PT1H fires at 1 h, 2 h and 3 h, not all at 24 h');
    assert.equal(harness.now(), t0 + DAY);
    await expectInstance(instance).toBeWaitingAt('work');
    await harness.completeJob('slow');
    await expectInstance(instance).toHaveCompleted();
  });

  it('lets a timer beat a job that is not done in time', async () => {
    harness = await createTestEngine();
    await harness.deploy(
      model('sla', [
        start('s'),
        serviceTask('work', 'slow'),
        boundary('late', 'work', { timer: 'duration', value: 'PT1H' }),
        end('done'),
        end('escalated'),
        ...chain('s', 'work', 'done'),
        flow('late', 'escalated'),
      ]),
    );
    const instance = await harness.createInstance('sla');
    await harness.advanceTime(HOUR);
    await expectInstance(instance).toHavePassed('late', 'escalated');
    await expectInstance(instance).not.toHavePassed('work', 'done');
    await expectInstance(instance).toHaveCompleted();
    assert.deepEqual(harness.jobs('slow'), [], 'the job was canceled with its task');
  });

  it('starts the clock where told', async () => {
    harness = await createTestEngine({ startTime: '2031-06-01T08:00:00Z' });
    assert.equal(harness.now(), Date.UTC(2031, 5, 1, 8));
    await harness.advanceTime('P1M');
    assert.equal(new Date(harness.now()).toISOString(), '2031-07-01T08:00:00.000Z');
    await assert.rejects(harness.advanceTime('soon'), /Expected an ISO 8601 duration/);
  });

  it('spreads instances over partitions and still settles all of them', async () => {
    harness = await createTestEngine({ partitions: 3 });
    await harness.deploy(
      model('wait', [
        start('s'),
        catchEvent('t', { timer: 'duration', value: 'PT5M' }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    const instances = [];
    for (let i = 0; i < 6; i++) instances.push(await harness.createInstance('wait'));
    await harness.advanceTime('PT5M');
    for (const instance of instances) await expectInstance(instance).toHaveCompleted();
    assert.equal(new Set(instances.map((i) => partitionOfKey(i.processInstanceKey))).size, 3);
  });
});
