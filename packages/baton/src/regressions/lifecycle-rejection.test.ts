import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/engine';
import { completed, memoryEngine, waitFor } from '../test-support/fixture.js';
import { chain, end, flow, model, parallel, serviceTask, start, task } from '../test-support/event-models.js';

describe('element lifecycle: an illegal transition is a logged rejection', () => {
  it('a terminate sent to an element that completed meanwhile is rejected in the log; the instance completes', async () => {
    const { engine, records } = await memoryEngine();
    try {
      // The terminate end event completes first and terminates its siblings; task A has already queued its
      // completion in the same batch, so the TERMINATE_ELEMENT for A arrives after A completed.
      await engine.deploy(
        model('terminate-race', [
          start('s'),
          parallel('fork'),
          end('stop', { terminate: true }),
          task('A'),
          serviceTask('B', 'slow'),
          end('a-end'),
          end('b-end'),
          ...chain('s', 'fork'),
          flow('fork', 'stop'),
          ...chain('fork', 'A', 'a-end'),
          ...chain('fork', 'B', 'b-end'),
        ]),
      );
      const instance = await engine.createInstance('terminate-race');
      await waitFor(() => completed(records, instance.processInstanceKey), 'completion', 5_000);
      const elementId = (r: LoggedRecord) => (r.value as { elementId?: string }).elementId;
      const aCompleted = records.find(
        (r) => r.recordType === 'EVENT' && r.intent === 'ELEMENT_COMPLETED' && elementId(r) === 'A',
      );
      assert.ok(aCompleted, 'A completed');
      const rejection = records.find(
        (r) =>
          r.recordType === 'COMMAND_REJECTION' &&
          r.valueType === 'PROCESS_INSTANCE' &&
          r.intent === 'TERMINATE_ELEMENT' &&
          r.key === aCompleted.key,
      );
      assert.ok(rejection, 'the TERMINATE_ELEMENT of the completed A is rejected in the log');
      assert.equal(rejection.rejectionType, 'NOT_FOUND');
      assert.match(
        rejection.rejectionReason ?? '',
        /terminate element instance '\d+' of 'A'.*does not exist/,
      );
      assert.ok(rejection.position > aCompleted.position);
      // The client command (create instance) was answered with its event, not with this rejection.
      const create = records.find(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE_CREATION' && r.recordType === 'EVENT' && r.intent === 'CREATED',
      );
      assert.ok(create);
      assert.equal(rejection.sourcePosition, create.sourcePosition);
    } finally {
      await engine.close();
    }
  });
});
