import type { RestPlugin } from '../plugin.js';
import { millisSchema, nameSchema, objectSchema, variablesSchema } from '../schemas.js';

interface MessageBody {
  readonly name: string;
  readonly correlationKey: string;
  readonly variables?: Record<string, unknown>;
  /** Milliseconds the message stays buffered for subscriptions opened later (default 0). */
  readonly timeToLive?: number;
  /** Unique among buffered messages: a second message with the same id is refused. */
  readonly messageId?: string;
}
const messageBody = objectSchema(
  {
    name: nameSchema,
    correlationKey: { type: 'string', default: '' },
    variables: variablesSchema,
    timeToLive: millisSchema,
    messageId: { type: 'string' },
  },
  ['name'],
);

interface SignalBody {
  readonly signalName: string;
  readonly variables?: Record<string, unknown>;
}
const signalBody = objectSchema({ signalName: nameSchema, variables: variablesSchema }, ['signalName']);

/** Publishing messages and broadcasting signals. */
export const messageAndSignalRoutes: RestPlugin = async (app, { engine }) => {
  app.post<{ Body: MessageBody }>('/v1/messages', { schema: { body: messageBody } }, async (request) => {
    const body = request.body;
    const { key } = await engine.publishMessage(body.name, body.correlationKey, body.variables ?? {}, {
      timeToLive: body.timeToLive ?? 0,
      messageId: body.messageId ?? '',
    });
    return { key };
  });
  app.post<{ Body: SignalBody }>(
    '/v1/signals/broadcast',
    { schema: { body: signalBody } },
    async (request) => {
      const { key } = await engine.broadcastSignal(request.body.signalName, request.body.variables ?? {});
      return { key };
    },
  );
};
