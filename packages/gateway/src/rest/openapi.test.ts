import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { createRestApp } from './http-gateway.js';
import type { RestApp } from './http-gateway.js';

const spec = readFileSync(new URL('../../../../docs/openapi.yaml', import.meta.url), 'utf8');

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

describe('docs/openapi.yaml', () => {
  let engine: Engine;
  let rest: RestApp;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    rest = await createRestApp(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
  });
  after(async () => {
    await rest.app.close();
    await engine.close();
  });

  it("documents exactly the operations in the server's route table", () => {
    const served = new Set(rest.routes.list().map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
    const documented = documentedOperations();
    assert.ok(served.size > 20, 'the route table was read');
    assert.ok(documented.size > 20, 'the spec was parsed');
    assert.deepEqual([...served].filter((op) => !documented.has(op)).sort(), [], 'served but not documented');
    assert.deepEqual([...documented].filter((op) => !served.has(op)).sort(), [], 'documented but not served');
  });
});
