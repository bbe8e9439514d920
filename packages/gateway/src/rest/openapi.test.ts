import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { createRestApp } from './http-gateway.js';
import type { RestApp } from './http-gateway.js';

const spec = readFileSync(new URL('../../../../docs/openapi.yaml', import.meta.url), 'utf8');
const gatewayDoc = readFileSync(new URL('../../../../docs/gateway.md', import.meta.url), 'utf8');

/** docs/gateway.md's table of every `/v2` endpoint: `METHOD /v2/path/{}` → its status cell. */
function v2Table(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of gatewayDoc.split('\n')) {
    const row = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/v2\/\S*)` \| ([^|]+) \|/.exec(line);
    if (row) rows.set(`${row[1]} ${row[2]!.replace(/\{\w+\}/g, '{}')}`, row[3]!.trim());
  }
  return rows;
}

/** `METHOD /path/{param}` for every operation under `paths:` (two-space path lines, four-space methods). */
function documentedOperations(): Set<string> {
  const operations = new Set<string>();
  let path: string | undefined;
  let inPaths = false;
  for (const line of spec.split('\n')) {
    if (/^\S/.test(line)) inPaths = line.startsWith('paths:');
    if (!inPaths) continue;
    const pathLine = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathLine) path = pathLine[1];
    const methodLine = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (methodLine && path) operations.add(`${methodLine[1]!.toUpperCase()} ${path}`);
  }
  return operations;
}

/** The `x-baton-refused-prefixes` list: path roots answered as a whole (403 or 501) for every method. */
function refusedPrefixes(): Set<string> {
  const prefixes = new Set<string>();
  let inList = false;
  for (const line of spec.split('\n')) {
    if (/^\S/.test(line)) inList = line.startsWith('x-baton-refused-prefixes:');
    const item = inList ? /^ {2}- (\/\S+)\s*$/.exec(line) : null;
    if (item) prefixes.add(item[1]!);
  }
  return prefixes;
}

describe('docs/openapi.yaml', () => {
  let engine: Engine;
  let rest: RestApp;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    rest = await createRestApp(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
  });
  after(async () => {
    await rest.app.close();
    await engine.close();
  });

  it("documents exactly the operations in the server's route table, /v2 and /baton/v1 included", () => {
    // A refused family (`/v2/users` and `/v2/users/*`, every method) is one entry of x-baton-refused-prefixes.
    const families = new Set(
      rest.routes
        .list()
        .filter((r) => r.url.endsWith('/*'))
        .map((r) => r.url.slice(0, -2)),
    );
    assert.deepEqual([...families].sort(), [...refusedPrefixes()].sort(), 'refused families');
    const inFamily = (url: string) => families.has(url) || families.has(url.replace(/\/\*$/, ''));
    const served = new Set(
      rest.routes
        .list()
        .filter((r) => !inFamily(r.url))
        .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
    );
    for (const prefix of ['/v2/', '/baton/v1/'])
      assert.ok(
        [...served].some((op) => op.includes(` ${prefix}`)),
        `${prefix} routes are served`,
      );
    const documented = documentedOperations();
    assert.ok(served.size > 20, 'the route table was read');
    assert.ok(documented.size > 20, 'the spec was parsed');
    assert.deepEqual([...served].filter((op) => !documented.has(op)).sort(), [], 'served but not documented');
    assert.deepEqual([...documented].filter((op) => !served.has(op)).sort(), [], 'documented but not served');
  });

  it("has a row in docs/gateway.md's /v2 table for every /v2 operation served, and serves every row implemented", () => {
    const table = v2Table();
    assert.ok(table.size > 100, 'the table was read');
    const served = new Set(
      rest.routes
        .list()
        .filter((r) => r.url.startsWith('/v2/') && !r.url.endsWith('/*'))
        .map((r) => `${r.method} ${r.url.replace(/:\w+/g, '{}')}`),
    );
    const refused = refusedPrefixes();
    const concrete = [...served].filter((op) => !refused.has(op.split(' ')[1]!));
    assert.deepEqual(
      concrete.filter((op) => !table.has(op)),
      [],
      'served under /v2 but not in the table',
    );
    const implemented = [...table].filter(([, status]) => status.startsWith('implemented')).map(([op]) => op);
    assert.deepEqual(
      implemented.filter((op) => !served.has(op)),
      [],
      'marked implemented but not served',
    );
  });
});
