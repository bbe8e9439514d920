import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from './engine-harness.js';
import { assertLifecycle, lifecycleOf } from './lifecycle.js';

const oneTask = createProcess('one-task')
  .startEvent('start')
  .serviceTask('work', { type: 'work' })
  .endEvent('end')
  .done();

describe('engine harness', () => {
  it('processes each command and its follow-ups before it returns, and keeps the whole log', async () => {
    const engine = new EngineHarness();
    const deployed = await engine.deploy(oneTask);
    const definitionKey = deployed.processDefinitionKeys['one-task'];
    assert.ok(definitionKey);
    const created = engine.createInstance('one-task', { x: 1 });
    assert.equal(created.first()?.recordType, 'COMMAND', 'the command comes first');
    assert.equal(created.job().withIntent('CREATED').only().value.elementId, 'work');
    const positions = engine.records.map((r) => r.position);
    assert.deepEqual(
      positions,
      positions.map((_, i) => i + 1),
      'positions 1, 2, 3 … without gaps',
    );
    engine.completeJob(engine.jobKey('work'));
    assertLifecycle(engine.records, created.processInstanceKey, [
      'one-task:ELEMENT_ACTIVATING',
      'one-task:ELEMENT_ACTIVATED',
      ...lifecycleOf('start'),
      ...lifecycleOf('work'),
      ...lifecycleOf('end'),
      'one-task:ELEMENT_COMPLETING',
      'one-task:ELEMENT_COMPLETED',
    ]);
  });

  it('is deterministic: the same commands give the same keys and records', async () => {
    const run = async () => {
      const engine = new EngineHarness();
      await engine.deploy(oneTask);
      engine.createInstance('one-task');
      engine.completeJob(engine.jobKey('work'));
      return engine.records.map((r) => ({ ...r, value: r.valueType === 'DEPLOYMENT' ? null : r.value }));
    };
    assert.deepEqual(await run(), await run());
  });

  it('stamps commands with its clock, which moves only when told', async () => {
    const engine = new EngineHarness({ startTime: 1_000_000 });
    await engine.deploy(oneTask);
    engine.createInstance('one-task');
    const [job] = engine.activateJobs('work', { timeout: 5_000 });
    assert.equal(job?.deadline, 1_005_000);
    assert.equal(engine.advanceTime(4_999).length, 0, 'nothing is due yet');
    const timedOut = engine.advanceTime(1);
    assert.equal(timedOut.job().withIntent('TIMED_OUT').only().key, job?.key);
    assert.equal(timedOut.first()?.timestamp, 1_005_000);
    assert.equal(engine.now(), 1_005_000);
  });

  it('returns a refused command with its rejection instead of throwing', async () => {
    const engine = new EngineHarness();
    const refused = engine.createInstance('missing');
    assert.equal(refused.rejection?.rejectionType, 'NOT_FOUND');
    assert.throws(() => refused.processInstanceKey, /NOT_FOUND/);
    assert.equal(engine.records.rejections().length, 1);
  });

  it('refuses a model that does not parse, naming the problem', async () => {
    const engine = new EngineHarness();
    const result = await engine.deploy('<definitions>not bpmn');
    assert.equal(result.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.ok(result.rejection?.rejectionReason);
  });

  it('rejects bad calls on the harness itself with a clear error', async () => {
    const engine = new EngineHarness();
    await assert.rejects(engine.deploy(), /at least one model/);
    assert.throws(() => engine.advanceTime(-1), /at least 0 ms/);
    assert.throws(() => engine.jobKey('none'), /one open job of type 'none'/);
  });

  it('filters the record stream by value type, intent, element and instance', async () => {
    const engine = new EngineHarness();
    await engine.deploy(oneTask);
    const first = engine.createInstance('one-task').processInstanceKey;
    engine.createInstance('one-task');
    const work = engine.records.processInstance().withElementId('work').withIntent('ELEMENT_ACTIVATED');
    assert.equal(work.length, 2);
    assert.equal(work.withProcessInstanceKey(first).only().value.processInstanceKey, first);
    assert.equal(engine.records.job().withJobType('work').withIntent('CREATED').length, 2);
    assert.equal(engine.records.commands().processInstanceCreation().length, 2);
    assert.deepEqual(engine.records.job().withProcessInstanceKey(first).intents(), ['CREATED']);
  });
  it('replaying its log gives the live state (events are the only state changes)', async () => {
    const engine = new EngineHarness({ verifyReplay: false }); // checked explicitly below
    await engine.deploy(
      createProcess('mixed')
        .startEvent()
        .parallelGateway('fork')
        .serviceTask('work', { type: 'work', retries: 1 })
        .parallelGateway('join')
        .endEvent()
        .moveToNode('fork')
        .intermediateCatchEvent('wait', { timer: { duration: 'PT1M' } })
        .connectTo('join')
        .done(),
    );
    const instance = engine.createInstance('mixed', { n: 1 }).processInstanceKey;
    engine.createInstance('mixed');
    engine.activateJobs('work', { timeout: 10_000 });
    engine.publishMessage('m', 'k', { a: 1 }, { timeToLive: 120_000 });
    engine.advanceTime(60_000);
    engine.setVariables(instance, { n: 2 });
    engine.assertReplayEqualsLive();
    const [job] = engine.activateJobs('work', { maxJobs: 1 }); // timed out above: activatable again
    assert.ok(job);
    engine.failJob(job.key, { retries: 0 });
    engine.assertReplayEqualsLive();
  });
});
