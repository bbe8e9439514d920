import type { Engine } from '@baton-engine/baton';
import { READ_MODEL_EXPORTER_ID } from '../read-model.js';

/** Until `condition` holds (checked every 10 ms), or fails naming `what` after 30 s. */
export async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Until the read model has exported everything committed (its lag is 0 on every partition): export is
 * asynchronous, so a test that reads what it just did waits for this after `engine.flush()`.
 */
export function settle(engine: Engine): Promise<void> {
  return until('the read model catching up', () =>
    engine
      .stats()
      .partitions.every((p) =>
        p.exporters.every((e) => e.exporterId !== READ_MODEL_EXPORTER_ID || e.lag === 0),
      ),
  );
}
