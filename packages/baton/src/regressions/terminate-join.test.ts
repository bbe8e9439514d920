import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completed, memoryEngine, waitFor } from '../test-support/fixture.js';
import { chain, end, flow, model, parallel, serviceTask, start, task } from '../test-support/event-models.js';
import { stateOf } from '../internal.js';

describe('terminate end event with a join', () => {
  it('ends the scope when a sibling completes within the same batch, after the terminate end event', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('term-join2', [
        start('s'),
        parallel('fork'),
        end('stop', { terminate: true }),
        task('A'),
        serviceTask('B', 'slow'),
        parallel('join'),
        end('never'),
        ...chain('s', 'fork'),
        flow('fork', 'stop'), // first: the terminate end event completes before A
        ...chain('fork', 'A', 'join'),
        ...chain('fork', 'B', 'join', 'never'),
      ]),
    );
    const instance = await engine.createInstance('term-join2');
    const done = await waitFor(
      () => completed(records, instance.processInstanceKey),
      'completion',
      1_000,
    ).then(
      () => true,
      () => false,
    );
    const state = stateOf(engine);
    const left = state.counts.elementInstances;
    const root = state.elementInstance(instance.processInstanceKey);
    const trailA = records
      .filter(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE' &&
          r.recordType === 'EVENT' &&
          (r.value as { elementId: string }).elementId !== 'x',
      )
      .map((r) => `${(r.value as { elementId: string }).elementId}:${r.intent}`);
    await engine.close();
    assert.deepEqual(
      {
        done,
        left,
        root: root && {
          state: root.state,
          activeSequenceFlows: root.activeSequenceFlows,
          joinFlows: root.joinFlows,
        },
      },
      { done: true, left: 0, root: undefined },
      trailA.join('\n'),
    );
  });
});
