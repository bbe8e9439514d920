import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hourTimer } from './test-models.js';
import { startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs `baton --json <args>` (from source) against a server and parses its output. */
function batonJson<T>(server: string, ...args: string[]): Promise<T> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--conditions=baton-src', '--import', 'tsx', main, '--server', server, '--json', ...args],
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as T),
    ),
  );
}

function pinClock(server: TestServer, timestamp: number): Promise<Response> {
  return fetch(`${server.url}/v2/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ timestamp }),
  });
}

describe('baton start --controlled-clock', { timeout: 120_000 }, () => {
  let controlled: TestServer;
  let plain: TestServer;
  let dir: string;
  before(async () => {
    [controlled, plain] = await Promise.all([
      startBaton(['--insecure-no-auth', '--controlled-clock']),
      startBaton(['--insecure-no-auth']),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'baton-clock-'));
    writeFileSync(join(dir, 'hour.bpmn'), hourTimer);
  });
  after(async () => {
    assert.equal(await controlled.stop(), 0);
    assert.equal(await plain.stop(), 0);
  });

  it('pins the clock over PUT /v2/clock: a one-hour timer fires at once', async () => {
    await batonJson(controlled.url, 'deploy', join(dir, 'hour.bpmn'));
    const started = await batonJson<{ processInstanceKey: string }>(controlled.url, 'run', 'hour');
    type Found = { items: { processInstanceKey: string; state: string }[] };
    const state = async () =>
      (await batonJson<Found>(controlled.url, 'instances', '--process', 'hour')).items.find(
        (i) => i.processInstanceKey === started.processInstanceKey,
      )?.state;
    assert.equal(await state(), 'ACTIVE');

    const pinned = await pinClock(controlled, Date.now() + 2 * 60 * 60 * 1000);
    assert.equal(pinned.status, 204, await pinned.text());
    let now = await state();
    for (let i = 0; i < 50 && now !== 'COMPLETED'; i++) now = await state();
    assert.equal(now, 'COMPLETED', 'the timer fired once the pinned time passed its due date');

    const reset = await fetch(`${controlled.url}/v2/clock/reset`, { method: 'POST' });
    assert.equal(reset.status, 204, await reset.text());
  });

  it('refuses to pin the clock of a server started without the flag', async () => {
    const refused = await pinClock(plain, Date.now());
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { detail: string }).detail, /cannot be pinned/);
  });
});
