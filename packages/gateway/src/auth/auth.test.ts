import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '@baton-engine/baton';
import { createAuthenticator } from './authenticator.js';
import { FailureLimiter } from './failure-limiter.js';
import { startHttpGateway } from '../rest/http-gateway.js';
import { v2Api } from '../v2/index.js';

describe('access tokens', () => {
  it('are parsed strictly: trailing junk after a valid token is refused', () => {
    const auth = createAuthenticator({ apiKeys: [], oauthClients: [{ clientId: 'app', clientSecret: 's' }] });
    const { accessToken } = auth.issueToken('app', 's')!;
    assert.ok(auth.verify(`Bearer ${accessToken}`));
    for (const junk of ['==', '!!', '=', '.', '%20'])
      assert.equal(auth.verify(`Bearer ${accessToken}${junk}`), false, `token + '${junk}'`);
  });
});

describe('the token endpoint under guessing', () => {
  it('answers 429 with Retry-After after 10 wrong secrets from one address in a minute', async () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter({ now: () => now });
    for (let i = 0; i < 9; i++) limiter.failed('a');
    assert.equal(limiter.retryAfterMs('a'), 0);
    limiter.failed('a');
    assert.equal(limiter.retryAfterMs('a'), 60_000);
    assert.equal(limiter.retryAfterMs('b'), 0, 'other addresses are not held up');
    now += 30_000;
    assert.equal(limiter.retryAfterMs('a'), 30_000);
    now += 30_001;
    assert.equal(limiter.retryAfterMs('a'), 0, 'the window slides');
  });

  it('is wired into POST /oauth/token', async () => {
    const engine = await createEngine({ store: 'memory' });
    const auth = createAuthenticator({
      apiKeys: [],
      oauthClients: [{ clientId: 'app', clientSecret: 's3cret' }],
    });
    const http = await startHttpGateway(engine, { host: '127.0.0.1', port: 0, auth });
    const token = (secret: string) =>
      fetch(`http://127.0.0.1:${http.port}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `client_id=app&client_secret=${secret}&grant_type=client_credentials`,
      });
    try {
      for (let i = 0; i < 10; i++) assert.equal((await token(`guess-${i}`)).status, 401);
      const limited = await token('s3cret');
      assert.equal(limited.status, 429, 'even the right secret waits once the address is limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal(((await limited.json()) as { error: string }).error, 'slow_down');
    } finally {
      await http.stop();
      await engine.close();
    }
  });
});

describe('REST logging', () => {
  it('does not log a request that timed out waiting for its result as an error', async () => {
    const { pino } = await import('pino');
    const lines: { level: number; msg: string; status?: number }[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const engine = await createEngine({ store: 'memory' });
    const http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['k'] }),
      log,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    try {
      const { createProcess } = await import('@baton-engine/baton');
      await engine.deploy(createProcess('wait').startEvent().userTask('t').endEvent().done());
      const answer = await fetch(`http://127.0.0.1:${http.port}/v2/process-instances`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify({ processDefinitionId: 'wait', awaitCompletion: true, requestTimeout: 50 }),
      });
      assert.equal(answer.status, 504);
      assert.deepEqual(
        lines.filter((l) => l.level >= 50).map((l) => l.msg),
        [],
        'nothing at ERROR',
      );
      assert.ok(
        lines.some((l) => l.level === 20 && l.msg === 'http request' && l.status === 504),
        'a debug line',
      );
    } finally {
      await http.stop();
      await engine.close();
    }
  });
});
