import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// An engine in memory (tests, tools) must not need SQLite's native module: it was loaded by every import.

describe('a memory engine', () => {
  it('does not load the native SQLite module; a SQLite engine does', () => {
    const index = fileURLToPath(new URL('../index.ts', import.meta.url));
    const loads = (store: string) =>
      execFileSync(
        process.execPath,
        [
          '--conditions=baton-src',
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const { createEngine } = await import(${JSON.stringify(index)});
           const engine = await createEngine(${store});
           await engine.close();
           const native = process.report.getReport().sharedObjects.some((s) => s.includes('better_sqlite3'));
           console.log(native ? 'native' : 'none');`,
        ],
        { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) },
      ).trim();
    assert.equal(loads("{ store: 'memory' }"), 'none');
    assert.equal(loads("{ path: ':memory:' }"), 'native');
  });
});
