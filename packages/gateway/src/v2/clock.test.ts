import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/baton';
import { PinnableClock } from './clock.js';
import { startV2TestServer } from './test-server.js';

describe('/v2/clock', () => {
  it('pins the clock (timers fall due at once) and resets it to the system time', async () => {
    let system = Date.UTC(2031, 0, 1);
    const clock = new PinnableClock(() => system);
    const server = await startV2TestServer({ clock });
    try {
      await server.engine.deploy(
        createProcess('timer')
          .startEvent()
          .intermediateCatchEvent('wait', { timer: { duration: 'PT1H' } })
          .endEvent()
          .done(),
      );
      const { processInstanceKey } = await server.engine.createInstance('timer');
      const completed = new Promise<void>((resolve) => {
        const off = server.engine.onRecords((records) => {
          if (records.some((r) => r.key === processInstanceKey && r.intent === 'ELEMENT_COMPLETED')) {
            off();
            resolve();
          }
        });
      });
      const pin = await server.app.inject({
        method: 'PUT',
        url: '/v2/clock',
        payload: { timestamp: system + 3_600_000 },
      });
      assert.equal(pin.statusCode, 204);
      assert.equal(clock.now(), system + 3_600_000);
      system += 5;
      assert.equal(clock.now(), Date.UTC(2031, 0, 1) + 3_600_000, 'a pinned clock stands still');
      await completed;
      const reset = await server.app.inject({ method: 'POST', url: '/v2/clock/reset' });
      assert.equal(reset.statusCode, 204);
      assert.equal(clock.now(), system);
      const bad = await server.app.inject({
        method: 'PUT',
        url: '/v2/clock',
        payload: { timestamp: 'noon' },
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().detail, /'body\.timestamp'/);
    } finally {
      await server.close();
    }
  });

  it('answers 403 when the engine runs on a clock that cannot be pinned', async () => {
    const server = await startV2TestServer();
    try {
      const pin = await server.app.inject({ method: 'PUT', url: '/v2/clock', payload: { timestamp: 1 } });
      assert.equal(pin.statusCode, 403);
      assert.match(pin.json().detail, /PinnableClock/);
    } finally {
      await server.close();
    }
  });
});
