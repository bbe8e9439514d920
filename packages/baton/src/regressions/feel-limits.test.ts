import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedRecord } from '@baton-engine/engine';
import { createEngine } from '../engine.js';
import { createProcess } from '../index.js';
import { ControlledClock } from '../runtime/clock.js';
import { waitFor } from '../test-support/fixture.js';

// One expression must not stop the engine: `count(for i in 1..100000000 return i)` ran out of memory and
// aborted the process after ~45 s, and again on every restart once an instance was stored before it.

const HUGE = 'count(for i in 1..100000000 return i)';

const scripted = (id: string, expression: string, delay?: string) => {
  const start = createProcess(id).startEvent();
  const flow = delay ? start.intermediateCatchEvent('wait', { timer: { duration: delay } }) : start;
  return flow.scriptTask('compute', { expression, resultVariable: 'n' }).userTask('done').endEvent().done();
};

const incidents = (records: readonly LoggedRecord[]) =>
  records.filter((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');

describe('limits on one FEEL expression', { timeout: 60_000 }, () => {
  it('an expression that runs too long is an incident naming the element and the limit; others go on', async () => {
    const engine = await createEngine({ store: 'memory', expressionLimits: { timeoutMs: 300 } });
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    try {
      await engine.deploy([scripted('huge', HUGE), scripted('fine', 'sum(for i in 1..100 return i)')]);
      const started = Date.now();
      const rss = process.memoryUsage().rss;
      const huge = await engine.createInstance('huge');
      const fine = await engine.createInstance('fine');
      await waitFor(() => incidents(records).length === 1, 'the incident', 10_000);
      const [incident] = incidents(records);
      const value = incident!.value as {
        elementId: string;
        errorMessage: string;
        processInstanceKey: string;
      };
      assert.equal(value.elementId, 'compute');
      assert.equal(value.processInstanceKey, huge.processInstanceKey);
      assert.match(value.errorMessage, /ran longer than 300 ms, the limit for one expression/);
      assert.ok(Date.now() - started < 5_000, 'bounded, not 45 s');
      assert.ok(process.memoryUsage().rss - rss < 1024 * 1024 * 1024, 'memory stayed bounded');
      // The other instance computed its sum and waits at its user task.
      await waitFor(
        () =>
          records.some((r) => r.valueType === 'VARIABLE' && r.value.name === 'n' && r.value.value === 5050),
        'the other instance',
      );
      assert.ok(fine.processInstanceKey);
    } finally {
      await engine.close();
    }
  });

  it('a result larger than the limit is an incident too', async () => {
    const engine = await createEngine({ store: 'memory', expressionLimits: { maxResultBytes: 10_000 } });
    const records: LoggedRecord[] = [];
    engine.onRecords((batch) => records.push(...batch));
    try {
      await engine.deploy(scripted('big', 'for i in 1..100000 return i'));
      await engine.createInstance('big');
      await waitFor(() => incidents(records).length === 1, 'the incident', 10_000);
      assert.match(
        (incidents(records)[0]!.value as { errorMessage: string }).errorMessage,
        /result is larger than 10000 bytes/,
      );
    } finally {
      await engine.close();
    }
  });

  it('a stored instance reaching such an expression after a restart raises an incident, not a crash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'baton-feel-limits-')), 'baton.db');
    const clock = new ControlledClock();
    const first = await createEngine({ path, clock });
    await first.deploy(scripted('later', HUGE, 'PT1M'));
    const { processInstanceKey } = await first.createInstance('later');
    await first.close();

    const second = await createEngine({ path, clock, expressionLimits: { timeoutMs: 300 } });
    const records: LoggedRecord[] = [];
    second.onRecords((batch) => records.push(...batch));
    try {
      clock.advance(61_000);
      await waitFor(() => incidents(records).length === 1, 'the incident after the timer', 10_000);
      assert.equal(
        (incidents(records)[0]!.value as { processInstanceKey: string }).processInstanceKey,
        processInstanceKey,
      );
      const again = await second.createInstance('later');
      assert.ok(again.processInstanceKey, 'the engine still serves');
    } finally {
      await second.close();
    }
  });
});
