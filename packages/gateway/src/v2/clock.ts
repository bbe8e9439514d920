import { z } from 'zod';
import { zLong } from './keys.js';
import { parseWith, ProblemError } from './problem.js';
import type { V2Routes } from './routes.js';
import { PinnableClock } from './pinnable-clock.js';

export { PinnableClock };

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
