import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../engine.js';
import { chain, end, model, serviceTask, start } from '../test-support/event-models.js';

const xml = model('order', [start('s'), serviceTask('pay', 'pay'), end('e'), ...chain('s', 'pay', 'e')]);

describe('a throwing commit listener', () => {
  it('does not cause an unhandled rejection nor stop the partition', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const engine = await createEngine({ store: 'memory' });
    await engine.deploy(xml);
    const off = engine.onRecords(() => {
      throw new Error('listener bug (test)');
    });
    await engine.createInstance('order');
    await engine.flush(); // the batch's listeners have run (and thrown)
    off();
    const after = await engine.createInstance('order').then(
      () => 'ok',
      (e: Error) => e.message,
    );
    await engine.close();
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual({ unhandled: unhandled.map(String), after }, { unhandled: [], after: 'ok' });
  });
});
