import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';

// Found by the REST fuzzing: a request node:http cannot parse (a request line past 16 KiB, a malformed
// header) was answered with a bare status line and no body; now it is a problem like any other refusal.

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text);
  });
}

describe('REST gateway: requests that cannot be parsed', () => {
  let engine: Engine;
  let http: RunningHttpGateway;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
  });
  after(async () => {
    await http.stop();
    await engine.close();
  });

  const cases: [string, string, number, RegExp][] = [
    [
      'a request line past 16 KiB',
      `GET /v2/jobs/${'9'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`,
      431,
      /size limit/,
    ],
    ['a space in the path', 'GET /v2/a b HTTP/1.1\r\nhost: x\r\n\r\n', 400, /could not be parsed/],
    [
      'a malformed content-length',
      'POST /v2/messages/publication HTTP/1.1\r\nhost: x\r\ncontent-length: x\r\n\r\n',
      400,
      /could not be parsed/,
    ],
  ];
  it('answers a target the URL parser refuses (//%%) with 400 instead of leaving it unanswered', async () => {
    // It threw outside the request's error handling: no answer, and an unhandled rejection (which ends a
    // Node process by default).
    for (const target of ['//%%', '//%%?/z@', '//[::1', '//a:b@']) {
      const answer = await raw(http.port, `GET ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1.1 (400|404) /, target);
      assert.match(answer, /application\/problem\+json/, target);
    }
  });

  it('answers a HEAD past the limit without a body', async () => {
    const answer = await raw(http.port, `HEAD /v2/jobs/${'9'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`);
    assert.match(answer, /^HTTP\/1.1 431 /);
    assert.equal(answer.slice(answer.indexOf('\r\n\r\n') + 4), '');
  });

  for (const [what, request, status, message] of cases) {
    it(`answers ${what} with ${status} and a problem body`, async () => {
      const answer = await raw(http.port, request);
      assert.match(answer, new RegExp(`^HTTP/1.1 ${status} `));
      assert.match(answer, /content-type: application\/problem\+json/);
      const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
      assert.equal(problem.status, status);
      assert.equal(typeof problem.code, 'string');
      assert.match(String(problem.message), message);
    });
  }
});
