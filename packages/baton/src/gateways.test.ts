import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  chain,
  conditional,
  end,
  flow,
  inclusive,
  model,
  serviceTask,
  start,
} from './test-support/event-models.js';

const route = model('route', [
  start('s'),
  inclusive('fork', 'fork-none'),
  serviceTask('a', 'a'),
  serviceTask('b', 'b'),
  serviceTask('c', 'c'),
  { xml: '<bpmn:task id="none"/>' },
  inclusive('join'),
  end('e'),
  flow('s', 'fork'),
  conditional('fork', 'a', 'wantA'),
  conditional('fork', 'b', 'wantB'),
  conditional('fork', 'c', 'wantC'),
  flow('fork', 'none', 'fork-none'),
  ...['a', 'b', 'c', 'none'].map((id) => flow(id, 'join')),
  flow('join', 'e'),
]);

describe('inclusive gateway', () => {
  it('forks into every true branch and joins only those', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(route);
    const instance = await engine.createInstance('route', { wantA: true, wantB: true, wantC: false });
    const a = await activateOne(engine, 'a');
    const b = await activateOne(engine, 'b');
    assert.deepEqual(
      await engine.activateJobs({ type: 'c', worker: 'w', timeout: 1000, maxJobsToActivate: 1 }),
      [],
    );
    await engine.completeJob(a.key);
    await engine.flush();
    assert.equal(completed(records, instance.processInstanceKey), false, 'the join waits for b');
    await engine.completeJob(b.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the join');
    assert.equal(
      trail(records, instance.processInstanceKey).filter((t) => t === 'join:ELEMENT_COMPLETED').length,
      1,
    );
    await engine.close();
  });

  it('takes the default flow when no condition holds', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(route);
    const instance = await engine.createInstance('route', { wantA: false, wantB: false, wantC: false });
    await waitFor(() => completed(records, instance.processInstanceKey), 'the default path');
    assert.ok(trail(records, instance.processInstanceKey).includes('none:ELEMENT_COMPLETED'));
    await engine.close();
  });

  it('joins as soon as the only remaining path ended elsewhere', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('early', [
        start('s'),
        inclusive('fork'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        { xml: '<bpmn:exclusiveGateway id="x" default="x-join"/>' },
        end('away'),
        inclusive('join'),
        end('e'),
        flow('s', 'fork'),
        conditional('fork', 'a', 'true'),
        conditional('fork', 'b', 'true'),
        flow('a', 'join'),
        ...chain('b', 'x'),
        conditional('x', 'away', 'leave = true'),
        flow('x', 'join', 'x-join'),
        flow('join', 'e'),
      ]),
    );
    const instance = await engine.createInstance('early', { leave: true });
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await engine.flush();
    assert.equal(completed(records, instance.processInstanceKey), false);
    await engine.completeJob((await activateOne(engine, 'b')).key); // b leaves through "away"
    await waitFor(() => completed(records, instance.processInstanceKey), 'the join to go on without b');
    await engine.close();
  });
});
