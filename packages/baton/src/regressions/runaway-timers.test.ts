import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from '../engine.js';
import { BatonError } from '../errors.js';
import { waitFor } from '../test-support/fixture.js';
import { boundary, chain, end, flow, model, serviceTask, start, task } from '../test-support/event-models.js';

// Runaway timers and loops: `R/PT0S` on a start timer made 4,807 instances in 8 s, `R/PT0.001S` on a
// non-interrupting boundary fired ~180 times a second, and a loop without a wait state held its partition
// for 9.4 s.

const startTimer = (cycle: string) =>
  model('ticker', [start('s', { timer: 'cycle', value: cycle }), end('e'), ...chain('s', 'e')]);
const boundaryTimer = (cycle: string) =>
  model('reminders', [
    start('s'),
    serviceTask('work', 'work'),
    boundary('remind', 'work', { timer: 'cycle', value: cycle }, { interrupting: false }),
    end('e'),
    end('reminded'),
    ...chain('s', 'work', 'e'),
    flow('remind', 'reminded'),
  ]);

const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof BatonError && error.code === 'INVALID_ARGUMENT' && pattern.test(error.message);

describe('timer cycles and loops that would run away', { timeout: 60_000 }, () => {
  it('a cycle shorter than the minimum refuses the deployment, naming the element', async () => {
    const engine = await createEngine({ store: 'memory' });
    try {
      await assert.rejects(
        engine.deploy(startTimer('R/PT0S')),
        refused(
          /'s'.*timer cycle 'R\/PT0S' is refused: it fires every 0 ms, more often than the minimum interval of 1000 ms/s,
        ),
      );
      await assert.rejects(engine.deploy(boundaryTimer('R/PT0.001S')), refused(/'remind'.*every 1 ms/s));
      // A cron expression every second is at the minimum, so it is allowed; every minute is fine.
      await engine.deploy(startTimer('* * * * * *'));
      await engine.deploy(startTimer('0 * * * * *'));
      await engine.deploy(boundaryTimer('R/PT1S'));
    } finally {
      await engine.close();
    }
  });

  it('the minimum is configurable', async () => {
    const engine = await createEngine({ store: 'memory', minimumTimerCycleMs: 60_000 });
    try {
      await assert.rejects(engine.deploy(boundaryTimer('R/PT30S')), refused(/minimum interval of 60000 ms/));
    } finally {
      await engine.close();
      // Back to the default for the other tests of this process.
      await (await createEngine({ store: 'memory' })).close();
    }
  });

  it('a cycle from an expression below the minimum is an incident on the element', async () => {
    const engine = await createEngine({ store: 'memory' });
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    try {
      await engine.deploy(boundaryTimer('=cycle'));
      await engine.createInstance('reminders', { cycle: 'R/PT0.01S' });
      await waitFor(
        () => records.some((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED'),
        'the incident',
      );
      const incident = records.find((r) => r.valueType === 'INCIDENT')!.value as { errorMessage: string };
      assert.match(incident.errorMessage, /every 10 ms, more often than the minimum interval of 1000 ms/);
    } finally {
      await engine.close();
    }
  });

  it('a loop without a wait state stops with an incident within a bounded time', async () => {
    const engine = await createEngine({ store: 'memory' });
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    try {
      await engine.deploy(
        model('loop', [start('s'), task('a'), task('b'), ...chain('s', 'a', 'b'), flow('b', 'a')]),
      );
      const started = Date.now();
      await engine.createInstance('loop');
      await waitFor(
        () => records.some((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED'),
        'the incident',
        20_000,
      );
      const elapsed = Date.now() - started;
      const incident = records.find((r) => r.valueType === 'INCIDENT')!.value as {
        errorType: string;
        errorMessage: string;
      };
      assert.equal(incident.errorType, 'PROCESSING_LIMIT_EXCEEDED');
      assert.match(incident.errorMessage, /More than 10000 elements were activated in one step/);
      assert.ok(elapsed < 5_000, `the partition was held ${elapsed} ms`);
    } finally {
      await engine.close();
    }
  });
});
