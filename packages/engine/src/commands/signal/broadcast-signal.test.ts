import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

describe('BROADCAST signal', () => {
  it('reaches every waiting signal event of its name, and only those', async () => {
    const engine = new EngineHarness();
    await engine.deploy(
      createProcess('p').startEvent().intermediateCatchEvent('wait', { signal: 'go' }).endEvent('end').done(),
    );
    engine.createInstance('p');
    engine.createInstance('p');
    assert.equal(engine.broadcastSignal('stop').processInstance().length, 0);
    const broadcast = engine.broadcastSignal('go', { flag: 1 });
    assert.equal(broadcast.response?.intent, 'BROADCASTED');
    assert.equal(broadcast.processInstance().withElementId('end').withIntent('ELEMENT_COMPLETED').length, 2);
    assert.equal(broadcast.signalSubscription().withIntent('DELETED').length, 2);
    assert.equal(engine.broadcastSignal('go').processInstance().length, 0, 'nobody waits any more');
  });
});
