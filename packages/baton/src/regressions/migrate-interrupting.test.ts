import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activateOne, memoryEngine, trail, waitFor } from '../test-support/fixture.js';
import { boundary, chain, end, flow, model, serviceTask, start } from '../test-support/event-models.js';
import { stateOf } from '../internal.js';

const version = (interrupting: boolean) =>
  model('reminders', [
    start('s'),
    serviceTask('T', 't'),
    boundary('nudge', 'T', { message: 'nudge', key: '=id' }, { interrupting }),
    end('e'),
    end('nudged'),
    ...chain('s', 'T', 'e'),
    flow('nudge', 'nudged'),
  ]);

describe('migrated message subscription keeps the source interrupting flag', () => {
  it('a boundary event that is non-interrupting in the target fires for every message', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(version(true));
    const v2 = (await engine.deploy(version(false))).processes[0]!.processDefinitionKey;
    const instance = await engine.createInstance('reminders', { id: 'X' }, { version: 1 });
    await activateOne(engine, 't');
    await engine.migrateInstance(instance.processInstanceKey, v2, { T: 'T' });
    const nudged = () =>
      trail(records, instance.processInstanceKey).filter((p) => p === 'nudged:ELEMENT_COMPLETED').length;
    await engine.publishMessage('nudge', 'X');
    await waitFor(() => nudged() === 1, 'the first nudge');
    await engine.publishMessage('nudge', 'X');
    await waitFor(() => nudged() === 2, 'the second nudge');
    await engine.flush();
    const path = trail(records, instance.processInstanceKey);
    const state = stateOf(engine);
    const subs = [...state.waits.messageSubscriptions.values()].map((s) => s.value.interrupting);
    await engine.close();
    assert.deepEqual(
      {
        nudged: path.filter((p) => p === 'nudged:ELEMENT_COMPLETED').length,
        taskTerminated: path.includes('T:ELEMENT_TERMINATED'),
        openSubscriptions: subs,
      },
      { nudged: 2, taskTerminated: false, openSubscriptions: [false] },
    );
  });
});
