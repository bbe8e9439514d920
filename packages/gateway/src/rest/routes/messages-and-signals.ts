import { z } from 'zod';
import type { Route } from '../router.js';
import { millisSchema, variablesSchema } from '../schemas.js';

const messageBody = z
  .object({
    name: z.string().min(1),
    correlationKey: z.string().default(''),
    variables: variablesSchema.optional(),
    /** Milliseconds the message stays buffered for subscriptions opened later (default 0). */
    timeToLive: millisSchema.optional(),
    /** Unique among buffered messages: a second message with the same id is refused. */
    messageId: z.string().optional(),
  })
  .strict();

const signalBody = z
  .object({ signalName: z.string().min(1), variables: variablesSchema.optional() })
  .strict();

/** Publishing messages and broadcasting signals. */
export const messageAndSignalRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/messages',
    async handle(ctx) {
      const body = await ctx.json(messageBody);
      const { key } = await ctx.engine.publishMessage(body.name, body.correlationKey, body.variables ?? {}, {
        timeToLive: body.timeToLive ?? 0,
        messageId: body.messageId ?? '',
      });
      return { status: 200, body: { key } };
    },
  },
  {
    method: 'POST',
    path: '/v1/signals/broadcast',
    async handle(ctx) {
      const body = await ctx.json(signalBody);
      const { key } = await ctx.engine.broadcastSignal(body.signalName, body.variables ?? {});
      return { status: 200, body: { key } };
    },
  },
];
