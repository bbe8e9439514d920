// FEEL's now() and today() read the time of the command being processed, not the wall clock: processing
// stays deterministic, and the test harness's controlled clock moves them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { LoggedRecord } from '@baton-engine/engine';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from './engine.js';
import { ControlledClock } from './runtime/clock.js';
import { createTestEngine } from './testing/index.js';

const START = '2030-06-15T12:00:00Z';

const stamped = createProcess('stamped')
  .startEvent('s')
  .scriptTask('stamp', { expression: '= now()', resultVariable: 'startedAt' })
  .scriptTask('check', {
    expression: `= now() = date and time("${START}")`,
    resultVariable: 'startedOnTheTestClock',
  })
  .serviceTask('wait', {
    type: 'wait',
    outputs: [
      { source: '= string(now() - date and time(startedAt))', target: 'elapsed' },
      { source: '= string(today())', target: 'doneOn' },
    ],
  })
  .intermediateCatchEvent('an-hour-later', { timer: { date: '= now() + duration("PT1H")' } })
  .endEvent('e')
  .done();

describe('FEEL now() and today() under the controlled clock', () => {
  it('a script task, an output mapping and a timer expression follow the harness clock', async (t) => {
    const harness = await createTestEngine({ startTime: START });
    t.after(() => harness.close());
    await harness.deploy(stamped);
    const instance = await harness.createInstance(stamped);
    await harness.expectInstance(instance).toBeWaitingAt('wait');
    assert.equal(harness.variables(instance).startedOnTheTestClock, true);

    await harness.advanceTime('PT2H');
    await harness.completeJob('wait');
    const variables = harness.variables(instance);
    assert.equal(variables.elapsed, 'PT2H');
    // 14:00 UTC is June 15th or 16th in any time zone the machine may have; the wall clock's date is not.
    assert.match(String(variables.doneOn), /^2030-06-1[56]$/);

    // The timer was set to one hour after the job completed, on the test clock.
    await harness.advanceTime('PT59M');
    await harness.expectInstance(instance).toBeWaitingAt('an-hour-later');
    await harness.advanceTime('PT1M');
    await harness.expectInstance(instance).toHaveCompleted();
  });

  it('processing the logged commands again gives the same records (now() included)', async () => {
    const clock = new ControlledClock(Date.parse(START));
    const factory = createMemoryStoreFactory();
    const engine = await createEngine({ store: factory, clock, snapshotEveryRecords: 1e9 });
    await engine.deploy({ name: 'stamped.bpmn', xml: await stamped.toXml() });
    await engine.createInstance('stamped');
    clock.advance(90 * 60_000);
    const [job] = await engine.activateJobs({
      type: 'wait',
      worker: 'w',
      timeout: 60_000,
      maxJobsToActivate: 1,
    });
    await engine.completeJob(job!.key);
    await engine.flush();
    const log = await (await factory.open(1)).read(1, 1_000_000);
    await engine.close();
    const live = log.map(comparable);
    assert.ok(
      live.some((r) => r.includes('"startedAt"')),
      'the log has the script result',
    );

    // Later, on another wall-clock time: the same commands give the same events.
    const then = Date.now();
    while (Date.now() === then) await new Promise((resolve) => setImmediate(resolve));
    const processor = new StreamProcessor(new EngineState(1));
    const again: string[] = [];
    for (const record of log.filter((r) => r.recordType === 'COMMAND')) {
      const body = { valueType: record.valueType, intent: record.intent, value: record.value } as never;
      const { records } = processor.process({ body, key: record.key, timestamp: record.timestamp });
      again.push(...records.map(comparable));
    }
    const differs = again.findIndex((record, i) => record !== live[i]);
    assert.equal(differs, -1, `record ${differs} differs:\n${live[differs]}\n${again[differs]}`);
    assert.equal(again.length, live.length);
  });
});

/** A record without its position fields, which belong to the log and not to processing. */
function comparable(record: LoggedRecord): string {
  const { position: _p, sourcePosition: _s, ...rest } = record as LoggedRecord & Record<string, unknown>;
  return JSON.stringify(rest);
}
