import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaton } from './test-server.js';

describe('baton start --api-key-file', { timeout: 60_000 }, () => {
  it('accepts the keys in the file (one per line, # comments), so that they stay out of ps', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-keys-')), 'keys');
    writeFileSync(file, '# operators\nkey-one\n\n  key-two  \n');
    const server = await startBaton(['--api-key-file', file]);
    try {
      const topology = (token: string) =>
        fetch(`${server.url}/v2/topology`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await topology('key-one')).status, 200);
      assert.equal((await topology('key-two')).status, 200);
      assert.equal((await topology('# operators')).status, 401);
      assert.doesNotMatch(server.output(), /key-one|key-two/, 'the keys are not logged');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('refuses a file without keys (exit 2)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-keys-')), 'empty');
    writeFileSync(file, '# nothing yet\n');
    await assert.rejects(startBaton(['--api-key-file', file]), /exited with 2[\s\S]*holds no key/);
  });
});
