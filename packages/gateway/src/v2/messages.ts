import { z } from 'zod';
import type { Engine, Variables } from '@baton-engine/baton';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { zLong } from './keys.js';
import { parseWith, ProblemError } from './problem.js';
import type { V2Routes } from './routes.js';

const variables = z.record(z.unknown(), { invalid_type_error: 'expected an object of variables' });

const publication = z.strictObject({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  timeToLive: zLong.optional(),
  messageId: z.string().optional(),
  variables: variables.optional(),
  tenantId: z.string().optional(),
});

const correlation = z.strictObject({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  variables: variables.optional(),
  tenantId: z.string().optional(),
});

/**
 * `POST /v2/messages/publication`: publishes (buffered for `timeToLive` ms). `POST /v2/messages/correlation`:
 * publishes without buffering and answers the instance it reached — a waiting subscription or a message
 * start event — or 404 when nothing waited for it. Unlike Zeebe, which correlates to one subscription, Baton
 * correlates to every instance waiting for the name and key (as a publication does) and answers the first.
 */
export const messageRoutes: V2Routes = (app, { engine }) => {
  app.post('/messages/publication', async (request) => {
    const body = parseWith(publication, request.body, 'body');
    ensureDefaultTenant('PublishMessage', body.tenantId, 'REST');
    const { key } = await engine.publishMessage(
      body.name,
      body.correlationKey ?? '',
      (body.variables ?? {}) as Variables,
      {
        ...(body.timeToLive !== undefined ? { timeToLive: body.timeToLive } : {}),
        ...(body.messageId ? { messageId: body.messageId } : {}),
      },
    );
    return { tenantId: DEFAULT_TENANT, messageKey: key };
  });

  app.post('/messages/correlation', async (request) => {
    const body = parseWith(correlation, request.body, 'body');
    ensureDefaultTenant('CorrelateMessage', body.tenantId, 'REST');
    const correlationKey = body.correlationKey ?? '';
    const { messageKey, processInstanceKey } = await correlate(
      engine,
      body.name,
      correlationKey,
      (body.variables ?? {}) as Variables,
    );
    if (processInstanceKey === undefined)
      throw new ProblemError(
        404,
        'NOT_FOUND',
        `Expected to find a subscription for the message with name '${body.name}' and correlation key '${correlationKey}', but none was found`,
      );
    return { tenantId: DEFAULT_TENANT, messageKey, processInstanceKey };
  });
};

/**
 * Publishes a message with no time to live and watches the committed records for its correlation (written
 * in the batch that publishes it): the first instance it reached, if any.
 */
async function correlate(
  engine: Engine,
  name: string,
  correlationKey: string,
  variables: Variables,
): Promise<{ messageKey: string; processInstanceKey: string | undefined }> {
  const reached = new Map<string, string>();
  const off = engine.onRecords((records) => {
    for (const r of records) {
      if (r.recordType !== 'EVENT' || r.valueType !== 'MESSAGE_SUBSCRIPTION' || r.intent !== 'CORRELATED')
        continue;
      const v = r.value as { messageKey: string; processInstanceKey: string };
      if (!reached.has(v.messageKey)) reached.set(v.messageKey, v.processInstanceKey);
    }
  });
  try {
    const { key } = await engine.publishMessage(name, correlationKey, variables, { timeToLive: 0 });
    await engine.flush();
    return { messageKey: key, processInstanceKey: reached.get(key) };
  } finally {
    off();
  }
}
