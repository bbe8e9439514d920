import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const waiting = createProcess('waiting').startEvent().serviceTask('t', { type: 'w' }).endEvent().done();

describe('DELETE resource', () => {
  it('deletes a process definition without running instances; new instances are then refused', async () => {
    const engine = new EngineHarness();
    const key = (await engine.deploy(waiting)).processDefinitionKeys.waiting!;
    const deleted = engine.command({
      valueType: 'RESOURCE_DELETION',
      intent: 'DELETE',
      value: { resourceKey: key },
    });
    assert.equal(deleted.response?.intent, 'DELETED');
    assert.equal(engine.createInstance('waiting').rejection?.rejectionType, 'NOT_FOUND');
  });

  it('refuses an unknown key, and a definition that still has running instances', async () => {
    const engine = new EngineHarness();
    const unknown = engine.command({
      valueType: 'RESOURCE_DELETION',
      intent: 'DELETE',
      value: { resourceKey: '99' },
    });
    assert.equal(unknown.rejection?.rejectionType, 'NOT_FOUND');
    const key = (await engine.deploy(waiting)).processDefinitionKeys.waiting!;
    engine.createInstance('waiting');
    const busy = engine.command({
      valueType: 'RESOURCE_DELETION',
      intent: 'DELETE',
      value: { resourceKey: key },
    });
    assert.equal(busy.rejection?.rejectionType, 'INVALID_STATE');
    assert.match(busy.rejection?.rejectionReason ?? '', /1 running instance/);
  });
});
