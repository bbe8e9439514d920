import type { Engine } from '@baton-engine/baton';

const ENDED = new Set(['COMPLETED', 'PARTIALLY_COMPLETED', 'CANCELED', 'FAILED']);

/** Resolves once the batch operation has ended (checked after every commit), or fails after a generous time. */
export function batchEnded(engine: Engine, key: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = engine.batchOperation(key)?.state;
      if (state && ENDED.has(state)) {
        done();
        resolve();
      }
    };
    const off = engine.onRecords(check);
    const timer = setTimeout(() => {
      done();
      reject(new Error(`batch operation ${key} did not end: ${engine.batchOperation(key)?.state}`));
    }, timeoutMs);
    const done = () => {
      off();
      clearTimeout(timer);
    };
    check();
  });
}
