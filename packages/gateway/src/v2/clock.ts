import { z } from 'zod';
import type { Clock } from '@baton-engine/baton';
import { zLong } from './keys.js';
import { parseWith, ProblemError } from './problem.js';
import type { V2Routes } from './routes.js';

/**
 * A clock that runs with the system time until it is pinned (`PUT /v2/clock`), then stands at the pinned
 * time until pinned again or reset — Zeebe's controlled clock (`zeebe.clock.controlled`). Pinning tells the
 * engine, so timers and job deadlines that fall due fire at once. Create the engine with one to serve
 * `/v2/clock`; it belongs to test and staging servers, not production.
 */
export class PinnableClock implements Clock {
  private pinned: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly system: () => number = () => Date.now()) {}

  now(): number {
    return this.pinned ?? this.system();
  }

  pin(timestamp: number): void {
    this.pinned = timestamp;
    for (const listener of this.listeners) listener();
  }

  reset(): void {
    this.pinned = undefined;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const pin = z.strictObject({ timestamp: zLong });

/**
 * `PUT /v2/clock` pins the engine's clock to `timestamp` (epoch ms); `POST /v2/clock/reset` lets it run with
 * the system time again. Only when the engine runs on a PinnableClock; otherwise 403 saying how to enable it.
 */
export const clockRoutes: V2Routes = (app, { engine }) => {
  const controlled = () => {
    if (engine.clock instanceof PinnableClock) return engine.clock;
    throw new ProblemError(
      403,
      'FORBIDDEN',
      'The clock of this engine cannot be pinned: start the server with a controllable clock (a PinnableClock) to use /v2/clock',
    );
  };
  app.put('/clock', async (request, reply) => {
    const clock = controlled();
    clock.pin(parseWith(pin, request.body, 'body').timestamp);
    return reply.code(204).send();
  });
  app.post('/clock/reset', async (_request, reply) => {
    controlled().reset();
    return reply.code(204).send();
  });
};
