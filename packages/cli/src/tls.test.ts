import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';
import { sdkClient } from './test-clients.js';

/** A self-signed certificate for localhost and 127.0.0.1, made with the openssl command. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  } catch (error) {
    throw new Error(
      `this test makes its certificate with openssl, which failed: ${(error as Error).message}`,
    );
  }
  return { cert, key };
}

/** GET over HTTPS, trusting only `ca`. */
function httpsGet(url: string, ca: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS on both servers (--tls-cert, --tls-key)', { timeout: 60_000 }, () => {
  let server: TestServer;
  let files: { cert: string; key: string };
  before(async () => {
    files = selfSignedCertificate(mkdtempSync(join(tmpdir(), 'baton-tls-')));
    server = await startBaton(['--api-key', 'tls-key', '--tls-cert', files.cert, '--tls-key', files.key]);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('serves the Zeebe gateway over TLS to the Camunda SDK that trusts the certificate', async () => {
    const zeebe = sdkClient(
      server.port,
      { kind: 'bearer', token: 'tls-key' },
      readFileSync(files.cert, 'utf8'),
    );
    try {
      const topology = await zeebe.topology();
      assert.equal(topology.partitionsCount, 1);
    } finally {
      await zeebe.close();
    }
  });

  it('serves the REST API over HTTPS, and refuses plain HTTP', async () => {
    const ca = readFileSync(files.cert, 'utf8');
    const answer = await httpsGet(`https://127.0.0.1:${server.httpPort}/v2/topology`, ca, 'tls-key');
    assert.equal(answer.status, 200);
    assert.match(answer.body, /"brokers"/);
    await assert.rejects(fetch(`http://127.0.0.1:${server.httpPort}/v2/topology`));
  });
});
