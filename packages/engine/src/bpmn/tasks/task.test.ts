import { describe, it } from 'node:test';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness, assertLifecycle, lifecycleOf } from '../../testing/index.js';

describe('task and manual task', () => {
  it('pass straight through: activated and completed in the same command', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('pass').startEvent('s').task('plain').manualTask('manual').endEvent('e').done(),
    );
    const instance = engine.createInstance('pass').processInstanceKey;
    assertLifecycle(engine.records, instance, [
      'pass:ELEMENT_ACTIVATING',
      'pass:ELEMENT_ACTIVATED',
      ...lifecycleOf('s'),
      ...lifecycleOf('plain'),
      ...lifecycleOf('manual'),
      ...lifecycleOf('e'),
      'pass:ELEMENT_COMPLETING',
      'pass:ELEMENT_COMPLETED',
    ]);
  });
});
