import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const awaitMessage = createProcess('await')
  .startEvent()
  .intermediateCatchEvent('wait', { message: { name: 'go', correlationKey: '= key' } })
  .endEvent('end')
  .done();

describe('PUBLISH message', () => {
  it('correlates to every instance waiting for its name and key', async () => {
    const engine = new EngineHarness();
    await engine.deploy(awaitMessage);
    engine.createInstance('await', { key: 'k' });
    engine.createInstance('await', { key: 'k' });
    engine.createInstance('await', { key: 'other' });
    const published = engine.publishMessage('go', 'k');
    assert.equal(published.response?.intent, 'PUBLISHED');
    assert.equal(published.messageSubscription().withIntent('CORRELATED').length, 2);
  });

  it('is buffered for its time to live and correlated once to an instance that subscribes later', async () => {
    const engine = new EngineHarness();
    await engine.deploy(awaitMessage);
    engine.publishMessage('go', 'k', { v: 1 }, { timeToLive: 10_000 });
    const first = engine.createInstance('await', { key: 'k' });
    assert.equal(first.messageSubscription().withIntent('CORRELATED').length, 1);
    assert.equal(first.variable().withName('v').only().value.value, 1);
    const expired = engine.advanceTime(10_000);
    assert.equal(expired.message().withIntent('EXPIRED').length, 1);
    const second = engine.createInstance('await', { key: 'k' });
    assert.equal(second.messageSubscription().withIntent('CORRELATED').length, 0);
  });

  it('refuses a second message with the same id while the first is buffered', async () => {
    const engine = new EngineHarness();
    const first = engine.publishMessage('go', 'k', {}, { timeToLive: 1000, messageId: 'm-1' });
    assert.equal(first.rejection, undefined);
    const duplicate = engine.publishMessage('go', 'k', {}, { timeToLive: 1000, messageId: 'm-1' });
    assert.equal(duplicate.rejection?.rejectionType, 'ALREADY_EXISTS');
    engine.advanceTime(1000);
    assert.equal(
      engine.publishMessage('go', 'k', {}, { messageId: 'm-1' }).rejection,
      undefined,
      'expired: the id is free',
    );
  });

  it('refuses a message without a name, or with a negative time to live', async () => {
    const engine = new EngineHarness();
    assert.equal(engine.publishMessage(' ', 'k').rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.equal(
      engine.publishMessage('go', 'k', {}, { timeToLive: -1 }).rejection?.rejectionType,
      'INVALID_ARGUMENT',
    );
  });
});
