import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const steps = createProcess('steps')
  .startEvent('start')
  .serviceTask('first', { type: 'first' })
  .serviceTask('second', { type: 'second' })
  .endEvent()
  .done();

describe('CREATE process instance', () => {
  it('creates an instance of the latest version with its variables', async () => {
    const engine = new EngineHarness();
    await engine.deploy(steps);
    const created = engine.createInstance('steps', { a: 1, b: 'x' });
    const response = created.accepted();
    assert.equal(response.valueType, 'PROCESS_INSTANCE_CREATION');
    assert.deepEqual(
      created.variable().map((v) => [v.value.name, v.value.value]),
      [
        ['a', 1],
        ['b', 'x'],
      ],
    );
  });

  it('starts before the given elements instead of at the start event', async () => {
    const engine = new EngineHarness();
    await engine.deploy(steps);
    const created = engine.createInstance('steps', {}, { startBefore: ['second'] });
    assert.equal(created.processInstance().withElementId('start').length, 0);
    assert.deepEqual(
      created
        .job()
        .withIntent('CREATED')
        .map((j) => j.value.type),
      ['second'],
    );
  });

  it('refuses an unknown process, version or start element', async () => {
    const engine = new EngineHarness();
    assert.equal(engine.createInstance('nope').rejection?.rejectionType, 'NOT_FOUND');
    await engine.deploy(steps);
    assert.equal(engine.createInstance('steps', {}, { version: 7 }).rejection?.rejectionType, 'NOT_FOUND');
    const badStart = engine.createInstance('steps', {}, { startBefore: ['missing'] });
    assert.equal(badStart.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(badStart.rejection?.rejectionReason ?? '', /missing/);
  });

  it('refuses variables that are not a document', async () => {
    const engine = new EngineHarness();
    await engine.deploy(steps);
    const refused = engine.createInstance('steps', [1] as unknown as Record<string, unknown>);
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
  });
});
