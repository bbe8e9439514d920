// Runs every `ts` block of docs/testing.md as written, and checks the failure message it shows, so the page
// cannot drift from the API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProcess } from '@baton-engine/builder';
import { createTestEngine, expectInstance } from './index.js';

const DOC = new URL('../../../../docs/testing.md', import.meta.url);
const markdown = await readFile(DOC, 'utf8');
const blocks = (lang: string) =>
  [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

/**
 * Stands in for `node:test` inside an example: collects its tests so that each runs as a subtest here,
 * with a real test context (`t.after` works).
 */
const SHIM = `export const collected = [];
export function test(name, fn) { collected.push({ name, fn }); }
export const it = test;
`;

/** The examples import packages by name; from a temporary directory those resolve to these sources. */
function resolvedImports(source: string): string {
  return source.replace(
    /from '(@baton-engine\/baton\/testing|@baton-engine\/baton|@baton-engine\/builder)'/g,
    (_, specifier: string) => {
      return `from '${import.meta.resolve(specifier)}'`;
    },
  );
}

describe('docs/testing.md', () => {
  const examples = blocks('ts');

  it('has runnable examples', () => {
    assert.ok(examples.length >= 3, `expected at least 3 ts blocks, found ${examples.length}`);
    for (const example of examples) assert.match(example, /from '@baton-engine\/baton\/testing'/);
  });

  examples.forEach((example, index) => {
    it(`example ${index + 1} passes`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'baton-testing-doc-'));
      try {
        const shim = join(dir, 'node-test-shim.mjs');
        await writeFile(shim, SHIM);
        const file = join(dir, `example-${index + 1}.mts`);
        await writeFile(
          file,
          resolvedImports(example).replace("from 'node:test'", "from './node-test-shim.mjs'"),
        );
        await import(pathToFileURL(file).href);
        const { collected } = (await import(pathToFileURL(shim).href)) as {
          collected: { name: string; fn: (t: unknown) => Promise<void> }[];
        };
        assert.ok(collected.length > 0, 'the example declares tests');
        for (const { name, fn } of collected) await t.test(name, fn);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('shows the failure message the first example gives when shipping is left out', async (t) => {
    const [shown] = blocks('text');
    assert.ok(shown, 'docs/testing.md has a text block with a failure message');
    // The same process and steps as the first example, stopping before the shipping job.
    const order = createProcess('order')
      .startEvent('received')
      .serviceTask('pay', { type: 'payment' })
      .exclusiveGateway('paid')
      .condition('= paid')
      .serviceTask('ship', { type: 'shipping' })
      .endEvent('shipped')
      .moveToNode('paid')
      .defaultFlow()
      .endEvent('cancelled')
      .done();
    const harness = await createTestEngine({ waitTimeout: 50 });
    t.after(() => harness.close());
    await harness.deploy(order);
    const instance = await harness.createInstance(order, { orderId: 'o-42', total: 99 });
    await harness.completeJob('payment', { paid: true });
    await assert.rejects(expectInstance(instance).toHaveCompleted(), (error: unknown) => {
      assert.ok(error instanceof AssertionError);
      assert.equal(error.message, shown.trimEnd().replace('(waited 2000 ms)', '(waited 50 ms)'));
      return true;
    });
  });
});
