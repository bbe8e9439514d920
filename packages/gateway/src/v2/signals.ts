import { z } from 'zod';
import type { Variables } from '@baton-engine/baton';
import { DEFAULT_TENANT, ensureDefaultTenant } from '../tenancy.js';
import { parseWith } from './problem.js';
import type { V2Routes } from './routes.js';

const broadcast = z.strictObject({
  signalName: z.string().min(1),
  variables: z.record(z.unknown(), { invalid_type_error: 'expected an object of variables' }).optional(),
  tenantId: z.string().optional(),
});

/** `POST /v2/signals/broadcast`: triggers every waiting signal event and signal start event of that name. */
export const signalRoutes: V2Routes = (app, { engine }) => {
  app.post('/signals/broadcast', async (request) => {
    const body = parseWith(broadcast, request.body, 'body');
    ensureDefaultTenant('BroadcastSignal', body.tenantId, 'REST');
    const { key } = await engine.broadcastSignal(body.signalName, (body.variables ?? {}) as Variables);
    return { tenantId: DEFAULT_TENANT, signalKey: key };
  });
};
