// Runs the synchronous harness example of docs/testing.md as it stands, so the page cannot drift from the API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DOC = new URL('../../../../docs/testing.md', import.meta.url);

/** Stands in for `node:test` inside the example: collects its tests so each runs as a subtest here. */
const SHIM = `export const collected = [];
export function test(name, fn) { collected.push({ name, fn }); }
`;

describe('the synchronous harness example in docs/testing.md', async () => {
  const markdown = await readFile(DOC, 'utf8');
  const section = markdown.slice(markdown.indexOf('## Engine tests: the synchronous harness'));
  const block = /```typescript\n([\s\S]*?)```/.exec(section)?.[1];

  it('imports the harness by its package entry', () => {
    assert.ok(block, 'the section has a typescript block');
    assert.match(block, /from '@baton-engine\/engine\/testing'/);
  });

  it('passes', async (t) => {
    assert.ok(block);
    const dir = await mkdtemp(join(tmpdir(), 'baton-engine-doc-'));
    try {
      const shim = join(dir, 'node-test-shim.mjs');
      await writeFile(shim, SHIM);
      const file = join(dir, 'example.mts');
      // From a temporary directory the packages resolve to these sources.
      const source = block
        .replace(
          /from '(@baton-engine\/engine\/testing|@baton-engine\/builder)'/g,
          (_, specifier: string) => {
            return `from '${import.meta.resolve(specifier)}'`;
          },
        )
        .replace("from 'node:test'", "from './node-test-shim.mjs'");
      await writeFile(file, source);
      await import(pathToFileURL(file).href);
      const { collected } = (await import(pathToFileURL(shim).href)) as {
        collected: { name: string; fn: () => Promise<void> }[];
      };
      assert.equal(collected.length, 2, 'the example declares its tests');
      for (const { name, fn } of collected) await t.test(name, fn);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
