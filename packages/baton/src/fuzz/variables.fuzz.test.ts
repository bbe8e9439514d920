import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine.js';
import { BatonError } from '../errors.js';
import { oneTask } from '../test-support/models.js';
import { fuzzParameters, within } from './fuzz-config.js';

// Variable documents fuzzing (issue 14): any JSON document — deep, wide, unicode names, `__proto__`, huge
// numbers — given to createInstance or setVariables is accepted or refused with INVALID_ARGUMENT, and what
// is accepted reads back as its JSON round trip. On the SQLite store, so that appends serialize for real.

const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', '$', 'a.b', 'x[0]', '😀'),
);

const scalar = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom('1e308', '1e309', '-1e309', '123456789012345678901234567890', '-0', '5e-324', '0.1'),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null'),
);

/** JSON text, so that `__proto__` becomes an own property the way it does when a client's JSON is parsed. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('v')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).v;

/** Deep chains (past the nesting limit sometimes) and wide documents (past the count limit sometimes). */
const deep = fc
  .tuple(fc.integer({ min: 1, max: 3_000 }), fc.boolean(), scalar)
  .map(([depth, arrays, leaf]) =>
    arrays ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"d":'.repeat(depth) + leaf + '}'.repeat(depth),
  );
const wide = fc
  .tuple(fc.integer({ min: 1, max: 12_000 }), scalar)
  .map(([n, leaf]) => `{${Array.from({ length: n }, (_, i) => `"v${i}":${leaf}`).join(',')}}`);

const documentText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(key, jsonText), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  },
  { weight: 1, arbitrary: deep.map((d) => `{"deep":${d}}`) },
  { weight: 1, arbitrary: wide },
);

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
/** What was read back, as JSON would keep it, except that a number JSON cannot hold stays visible. */
const asRead = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? `non-finite ${v}` : v,
    ),
  ) as unknown;

function expectRefusal(error: unknown): void {
  assert.ok(
    error instanceof BatonError,
    `expected a BatonError, got ${(error as Error)?.stack ?? String(error)}`,
  );
  assert.equal(error.code, 'INVALID_ARGUMENT', error.message);
  assert.ok(error.message.length > 0);
}

describe('fuzzing: variable documents', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-fuzz-vars-'));
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ path: join(dir, 'fuzz.db') });
    await engine.deploy({ name: 'hold.bpmn', xml: oneTask('hold', 'hold') });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The variables of the one instance waiting at its task, read as a worker does; the job is completed. */
  async function readBack(processInstanceKey: string): Promise<Record<string, unknown>> {
    const [job] = await engine.activateJobs({
      type: 'hold',
      worker: 'fuzz',
      timeout: 60_000,
      maxJobsToActivate: 1,
    });
    assert.ok(job, 'the instance waits at its task');
    assert.equal(job.processInstanceKey, processInstanceKey);
    await engine.completeJob(job.key);
    return job.variables;
  }

  it('createInstance: accepted documents read back as their JSON round trip, the rest are INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(documentText, async (text) => {
        const variables = JSON.parse(text) as Record<string, unknown>;
        let key: string;
        try {
          key = (await within(engine.createInstance('hold', variables), 10_000, 'createInstance'))
            .processInstanceKey;
        } catch (error) {
          expectRefusal(error);
          return;
        }
        assert.deepEqual(asRead(await readBack(key)), roundTrip(variables));
      }),
      fuzzParameters(150),
    );
    assert.equal(engine.health().healthy, true, JSON.stringify(engine.health()));
  });

  it('setVariables: accepted documents are merged as their JSON round trip, the rest are INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(documentText, fc.boolean(), async (text, local) => {
        const variables = JSON.parse(text) as Record<string, unknown>;
        const { processInstanceKey } = await engine.createInstance('hold', { before: 1 });
        try {
          await within(engine.setVariables(processInstanceKey, variables, { local }), 10_000, 'setVariables');
        } catch (error) {
          expectRefusal(error);
          await readBack(processInstanceKey);
          return;
        }
        assert.deepEqual(asRead(await readBack(processInstanceKey)), roundTrip({ before: 1, ...variables }));
      }),
      fuzzParameters(150),
    );
    assert.equal(engine.health().healthy, true, JSON.stringify(engine.health()));
  });
});
