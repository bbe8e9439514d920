import type { FastifyInstance } from 'fastify';
import { createEngine } from '@baton-engine/baton';
import type { Clock, Engine, EngineOptions } from '@baton-engine/baton';
import { ReadModel } from '@baton-engine/read-model';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { createRestApp } from '../rest/http-gateway.js';
import { v2Api } from './lazy.js';

/** An engine, its read model and a Fastify server with the `/v2` plugin, for the tests of the route modules. */
export interface V2TestServer {
  readonly engine: Engine;
  readonly readModel: ReadModel;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` when started with `listen: true`. */
  readonly url: string | undefined;
  /** Resolves once the read model has every record the engine has committed so far. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an in-memory engine (one partition unless told otherwise), attaches a read model in memory, and
 * builds the REST server with `v2Api` mounted at `/v2`. Use `app.inject` for route tests, or `listen: true` for a real client.
 */
export async function startV2TestServer(
  options: { clock?: Clock; listen?: boolean; engine?: EngineOptions; readModel?: boolean } = {},
): Promise<V2TestServer> {
  const engine = await createEngine({
    store: 'memory',
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.engine,
  });
  const readModel = await ReadModel.attach(engine, { path: ':memory:' });
  // The REST server as `baton start` runs it (body parsers, multipart, limits), without credentials.
  const { app } = await createRestApp(engine, {
    host: '127.0.0.1',
    port: 0,
    auth: NO_AUTHENTICATION,
    ...(options.readModel === false ? {} : { readModel }),
    plugins: [{ plugin: v2Api, prefix: '/v2' }],
  });
  let url: string | undefined;
  if (options.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
  }
  return {
    engine,
    readModel,
    app,
    url,
    // The read model (SQLite) applies each batch in the partition's commit listener, so a flush is enough.
    settled: () => engine.flush(),
    async close() {
      await app.close();
      await engine.close();
      await readModel.close();
    },
  };
}

/** A `multipart/form-data` body for `app.inject`: files under `resources` (or their own field) and fields. */
export async function multipartBody(
  files: readonly { name: string; content: string; field?: string }[],
  fields: Readonly<Record<string, string>> = {},
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const file of files) form.append(file.field ?? 'resources', new Blob([file.content]), file.name);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}
