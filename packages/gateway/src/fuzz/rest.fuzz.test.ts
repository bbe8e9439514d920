import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import fc from 'fast-check';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { ReadModel } from '@baton-engine/read-model';
import { NO_AUTHENTICATION, createAuthenticator } from '../auth/authenticator.js';
import { startHttpGateway } from '../rest/http-gateway.js';
import { v2Api } from '../v2/index.js';
import type { RunningHttpGateway } from '../rest/http-gateway.js';
import { fuzzParameters } from './fuzz-config.js';

// REST fuzzing (issue 14): any method, path, query, content type and body gets an answer that is not a 500,
// a refusal is a JSON problem body (RFC 9457: title, detail, status), and the server serves afterwards. The
// routes are Camunda's `/v2` (mounted as `baton start` mounts it) and Baton's own.

interface Answer {
  status: number;
  contentType: string;
  body: string;
  timedOut: boolean;
}

/** One raw request (node:http keeps the path as given: `..` and odd escapes reach the server). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream')) {
        // A stream that opened is an answer; it is not read to its end.
        res.destroy();
        resolve({ status: res.statusCode ?? 0, contentType, body: '', timedOut: false });
        return;
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType,
          body: Buffer.concat(chunks).toString('utf8'),
          timedOut: false,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ status: 0, contentType: '', body: '', timedOut: true });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TEMPLATES = [
  '/v2/deployments',
  '/v2/process-instances',
  '/v2/process-instances/search',
  '/v2/process-instances/:key',
  '/v2/process-instances/:key/cancellation',
  '/v2/process-instances/:key/migration',
  '/v2/process-instances/:key/modification',
  '/v2/element-instances/search',
  '/v2/element-instances/:key/variables',
  '/v2/element-instances/ad-hoc-activities/:key/activation',
  '/v2/jobs/:key/completion',
  '/v2/jobs/:key/error',
  '/v2/jobs/:key/failure',
  '/v2/jobs/:key',
  '/v2/jobs/activation',
  '/v2/jobs/search',
  '/v2/incidents/:key/resolution',
  '/v2/incidents/search',
  '/v2/messages/publication',
  '/v2/messages/correlation',
  '/v2/signals/broadcast',
  '/v2/decision-definitions/evaluation',
  '/v2/resources/:key/deletion',
  '/v2/process-definitions/:key/xml',
  '/v2/process-definitions/:key/form',
  '/v2/process-definitions/search',
  '/v2/user-tasks/:key/assignee',
  '/v2/user-tasks/:key/assignment',
  '/v2/user-tasks/:key/completion',
  '/v2/user-tasks/:key/form',
  '/v2/user-tasks/search',
  '/v2/variables/search',
  '/v2/topology',
  '/v2/users/:key',
  '/baton/v1/deployments',
  '/baton/v1/forms/:key',
  '/baton/v1/process-instances/:key',
  '/baton/v1/dashboard',
  '/baton/v1/events',
  '/baton/v1/updates',
  '/v1/process-instances',
  '/oauth/token',
  '/livez',
  '/readyz',
  '/healthz',
  '/metrics',
  '/api/x',
  '/',
  '',
];

/** Anything a path segment might hold: keys, escapes (also malformed ones), traversal, unicode, huge. */
const segment = fc.oneof(
  fc.constantFrom(
    '2251799813685249',
    '-1',
    '0',
    '18446744073709551616',
    '1e3',
    '..',
    '.',
    '%2e%2e',
    '%2F',
    '%00',
    '%E0%A4%A',
    '%',
    '%%',
    '%C0%AF',
    '%FF',
    '__proto__',
    '',
    ';',
    '?',
  ),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  // Long, but within node:http's 16 KiB for the request line (past it: unparsable-requests.test.ts).
  fc.integer({ min: 1_000, max: 12_000 }).map((n) => '9'.repeat(n)),
);

/** A path node:http accepts: characters it refuses (controls, spaces, non-ASCII) are percent-encoded. */
const escapeForWire = (path: string) =>
  path.replace(/[^\x21-\x7e]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%ED%A0%80'; // a lone surrogate: send its (invalid) UTF-8 bytes
    }
  });

const path = fc
  .tuple(
    fc.constantFrom(...TEMPLATES),
    segment,
    fc.array(segment, { maxLength: 2 }),
    fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  )
  .map(([template, key, extra, query]) => {
    let p = template.replace(':key', key);
    if (extra.length > 0) p += `/${extra.join('/')}`;
    if (query !== undefined) p += `?${query}`;
    return escapeForWire(p.startsWith('/') ? p : `/${p}`);
  });

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'FOO');

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  '',
  ';;;',
);

/** JSON shaped like the API's requests, with fields of every type. */
const field = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'chore',
    '2251799813685249',
    -1,
    Number.MAX_VALUE,
    '',
    '__proto__',
    { variables: { a: 1 } },
    [{ name: 'x.bpmn', xml: '<x/>' }],
  ),
);
const requestLike = fc.dictionary(
  fc.constantFrom(
    'bpmnProcessId',
    'processDefinitionId',
    'processDefinitionKey',
    'awaitCompletion',
    'fetchVariable',
    'changeset',
    'filter',
    'page',
    'sort',
    'elements',
    'result',
    'version',
    'variables',
    'awaitResult',
    'requestTimeout',
    'fetchVariables',
    'type',
    'worker',
    'timeout',
    'maxJobsToActivate',
    'retries',
    'errorCode',
    'errorMessage',
    'retryBackOff',
    'name',
    'correlationKey',
    'timeToLive',
    'messageId',
    'resources',
    'startInstructions',
    'decisionId',
    'assignee',
    'signalName',
    'terminateInstructions',
    'activateInstructions',
    'targetProcessDefinitionKey',
    'mappingInstructions',
    'grant_type',
    'client_id',
    '__proto__',
  ),
  field,
  { maxKeys: 6 },
);

const body = fc.oneof(
  requestLike.map((b) => Buffer.from(JSON.stringify(b))),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc
    .constantFrom(
      '{"variables": {"a": {"__proto__": {"x": 1}}}}',
      '{"processDefinitionId": "chore", "variables": {"x": 1e309}}',
      '{"processDefinitionId": "chore", "awaitCompletion": true, "requestTimeout": 1}',
      '{"filter": {"processInstanceKey": "2251799813685249"}, "page": {"from": 0, "limit": 1000}}',
      '--xyz\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"\r\n\r\n<x/>\r\n--xyz--',
      '--xyz\r\n\r\n',
      '[',
      '{"a":' + '['.repeat(10_000),
    )
    .map((s) => Buffer.from(s)),
);

function checkAnswer(method: string, path: string, answer: Answer): void {
  const where = `${method} ${path}`;
  if (answer.timedOut) {
    // A long poll may wait (up to its own requestTimeout); nothing else may hang.
    assert.match(
      path,
      /^\/(v2\/(jobs\/activation|process-instances)|baton\/v1\/(events|updates))/,
      `${where} hung`,
    );
    return;
  }
  assert.notEqual(answer.status, 500, `${where} answered 500: ${answer.body}`);
  assert.ok(answer.status >= 200 && answer.status < 600, `${where}: status ${answer.status}`);
  if (answer.status >= 400 && method !== 'HEAD') {
    assert.match(answer.contentType, /^application\/problem\+json/, `${where}: ${answer.contentType}`);
    // RFC 9457 everywhere (`/v2` titles its problems with the error code; Baton's own routes add { code, message }).
    const problem = JSON.parse(answer.body) as { title?: unknown; detail?: unknown; status?: unknown };
    assert.equal(typeof problem.title, 'string', `${where}: ${answer.body}`);
    assert.equal(typeof problem.detail, 'string', `${where}: ${answer.body}`);
    assert.equal(problem.status, answer.status);
  } else if (answer.body !== '' && method !== 'HEAD' && answer.contentType.includes('json')) {
    assert.doesNotThrow(() => JSON.parse(answer.body), `${where}: ${answer.body.slice(0, 200)}`);
  }
}

describe('fuzzing: REST gateway', { timeout: 180_000 }, () => {
  let engine: Engine;
  let readModel: ReadModel;
  let open: RunningHttpGateway;
  let guarded: RunningHttpGateway;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    // The searches run against a read model, as `baton start` serves them.
    readModel = await ReadModel.attach(engine, { path: ':memory:' });
    const plugins = [{ plugin: v2Api, prefix: '/v2' }];
    open = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      readModel,
      plugins,
    });
    guarded = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['fuzz-key'] }),
      readModel,
      plugins,
    });
    await engine.deploy(
      createProcess('chore').startEvent().serviceTask('t', { type: 'chore' }).endEvent().done(),
    );
    for (let i = 0; i < 5; i++) await engine.createInstance('chore', { i });
  });
  after(async () => {
    await open.stop();
    await guarded.stop();
    await engine.close();
    await readModel.close();
  });

  async function stillServes(port: number): Promise<void> {
    const ready = await send(port, 'GET', '/readyz', {}, undefined);
    assert.equal(ready.status, 200, ready.body);
    assert.equal(engine.health().healthy, true);
  }

  it('any request gets a non-500 answer, refusals as JSON problems (no authentication)', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        contentType,
        fc.option(body, { nil: undefined }),
        async (m, p, type, b) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          checkAnswer(
            m,
            p,
            await send(open.port, m, p, headers, m === 'GET' || m === 'HEAD' ? undefined : b),
          );
        },
      ),
      fuzzParameters(1_000),
    );
    await stillServes(open.port);
  });

  it('with authentication: any request, with odd or no credentials, gets a non-500 answer', async () => {
    const authorization = fc.constantFrom(
      undefined,
      'Bearer fuzz-key',
      'Bearer fuzz-key==',
      'Bearer ',
      'Basic Zm9vOmJhcg==',
      'bearer fuzz-key',
      'Bearer ' + 'k'.repeat(10_000),
      'Bearer \u00e9',
    );
    await fc.assert(
      fc.asyncProperty(method, path, authorization, body, async (m, p, auth, b) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (auth !== undefined) headers.authorization = auth.replace(/[^\x20-\x7e]/g, '?');
        checkAnswer(
          m,
          p,
          await send(guarded.port, m, p, headers, m === 'GET' || m === 'HEAD' ? undefined : b),
        );
      }),
      fuzzParameters(400),
    );
    await stillServes(guarded.port);
  });
});
