import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activateOne, completed, memoryEngine, trail, waitFor } from '../test-support/fixture.js';
import { boundary, chain, model, serviceTask, start } from '../test-support/event-models.js';
import { stateOf } from '../internal.js';

/** v1: A (handler 'undo-v1') → B → compensation end event; v2 is the same with the handler renamed. */
const version = (handlerId: string) =>
  model('saga', [
    start('s'),
    serviceTask('A', 'a'),
    boundary('undo-A', 'A', { compensation: true }),
    {
      xml: `<bpmn:serviceTask id="${handlerId}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="refund"/></bpmn:extensionElements></bpmn:serviceTask>`,
    },
    { xml: `<bpmn:association id="assoc" sourceRef="undo-A" targetRef="${handlerId}"/>` },
    serviceTask('B', 'b'),
    { xml: '<bpmn:endEvent id="e"><bpmn:compensateEventDefinition/></bpmn:endEvent>' },
    ...chain('s', 'A', 'B', 'e'),
  ]);

describe('migration of an instance with compensation subscriptions', () => {
  it('compensates with the target handler (or refuses the migration), never hangs', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(version('refund-v1'));
    const v2 = (await engine.deploy(version('refund-v2'))).processes[0]!.processDefinitionKey;
    const instance = await engine.createInstance('saga', {}, { version: 1 });
    await engine.completeJob((await activateOne(engine, 'a')).key); // A completed: compensable
    const b = await activateOne(engine, 'b');
    let migrated = true;
    try {
      await engine.migrateInstance(instance.processInstanceKey, v2, { B: 'B' });
    } catch {
      migrated = false; // refusing would be acceptable
    }
    if (!migrated) return;
    await engine.completeJob(b.key);
    const refund = await engine
      .activateJobs({ type: 'refund', worker: 't', timeout: 60_000, maxJobsToActivate: 1 })
      .then((jobs) => jobs[0]);
    if (refund) await engine.completeJob(refund.key);
    const done = await waitFor(
      () => completed(records, instance.processInstanceKey),
      'completion',
      1_000,
    ).then(
      () => true,
      () => false,
    );
    const state = stateOf(engine);
    const subscription = [
      ...(state as unknown as { compensations: Map<string, { value: unknown }> }).compensations.values(),
    ].map((s) => s.value);
    await engine.close();
    assert.deepEqual(
      {
        refundJob: refund?.elementId,
        done,
        ended: trail(records, instance.processInstanceKey).includes('e:ELEMENT_COMPLETED'),
      },
      { refundJob: 'refund-v2', done: true, ended: true },
      JSON.stringify(subscription),
    );
  });
});
