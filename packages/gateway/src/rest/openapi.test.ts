import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { restRoutes } from './http-gateway.js';

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
  it('documents exactly the operations the REST gateway serves', () => {
    const served = new Set(
      restRoutes(NO_AUTHENTICATION).map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = documentedOperations();
    assert.ok(documented.size > 20, 'the spec was parsed');
    assert.deepEqual([...served].filter((op) => !documented.has(op)).sort(), [], 'served but not documented');
    assert.deepEqual([...documented].filter((op) => !served.has(op)).sort(), [], 'documented but not served');
  });
});
