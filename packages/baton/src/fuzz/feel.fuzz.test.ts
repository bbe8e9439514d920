import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateFeel } from '@baton-engine/engine';
import type { Engine } from '../engine.js';
import { memoryEngine } from '../test-support/fixture.js';
import { fuzzParameters } from './fuzz-config.js';

// FEEL fuzzing (issue 14): any expression, from a small grammar or random text, evaluates to a value or a
// failure with a message, never a throw. The engine is created for its expression limits (the time bound).

const NOW = Date.UTC(2030, 0, 1);

const literal = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.constantFrom('1e309', '-0', '0.0000001', '99999999999999999999999', 'null', 'true', 'false'),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(
    'date("2030-01-01")',
    'date and time("2030-01-01T00:00:00@Europe/Berlin")',
    'duration("P1Y2M")',
    'duration("PT-1S")',
    'time("25:61:61")',
    'date("not a date")',
    'now()',
    'today()',
  ),
);

const name = fc.constantFrom('a', 'b', 'items', 'order', 'x y', 'now', 'today', 'missing', '?', 'item');
const binary = fc.constantFrom('+', '-', '*', '/', '**', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in');
const fn = fc.constantFrom(
  'count',
  'sum',
  'min',
  'max',
  'string length',
  'substring',
  'upper case',
  'contains',
  'split',
  'string join',
  'append',
  'concatenate',
  'flatten',
  'distinct values',
  'sort',
  'reverse',
  'index of',
  'get value',
  'context put',
  'matches',
  'replace',
  'number',
  'string',
  'abs',
  'floor',
  'decimal',
  'modulo',
  'sqrt',
  'log',
  'exp',
  'is defined',
  'fromAi',
  'unknownFunction',
);

const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    name,
    fc.tuple(tie('e'), binary, tie('e')).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(fn, fc.array(tie('e'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.array(tie('e'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc.tuple(name, tie('e')).map(([k, v]) => `{${JSON.stringify(k)}: ${v}, b: ${v}}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `if ${c} then ${t} else ${f}`),
    fc.tuple(tie('e'), fc.integer({ min: -5, max: 1_000 })).map(([l, n]) => `for i in 1..${n} return ${l}`),
    fc.tuple(tie('e'), tie('e')).map(([l, c]) => `some x in ${l} satisfies ${c}`),
    fc.tuple(tie('e'), tie('e')).map(([l, c]) => `${l}[${c}]`),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `${e}.a`),
    tie('e').map((e) => `-${e}`),
    tie('e').map((e) => `not(${e})`),
    tie('e').map((e) => `function(x) ${e}`),
    tie('e').map((e) => `${e} instance of number`),
  ),
})).e;

/** Mutilations of grammar output: cut it, or splice random text into it. */
const mutilated = fc
  .tuple(expression, fc.nat(), fc.string({ unit: 'binary', maxLength: 6 }), fc.boolean())
  .map(([e, i, junk, cut]) => {
    const at = e.length === 0 ? 0 : i % e.length;
    return cut ? e.slice(0, at) : e.slice(0, at) + junk + e.slice(at);
  });

const context = fc.record({
  a: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
  b: fc.oneof(fc.double(), fc.boolean()),
  items: fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 8 }),
  order: fc.jsonValue({ maxDepth: 3 }),
});

function checkResult(expr: string, ctx: Record<string, unknown>): void {
  let result: ReturnType<typeof evaluateFeel>;
  try {
    result = evaluateFeel(expr, ctx, NOW);
  } catch (error) {
    assert.fail(
      `evaluateFeel threw for ${JSON.stringify(expr)}: ${(error as Error)?.stack ?? String(error)}`,
    );
  }
  if (result.ok) {
    // The value is stored as a variable: it must survive JSON.
    assert.doesNotThrow(() => JSON.stringify(result.value), `the value of ${JSON.stringify(expr)}`);
  } else {
    assert.equal(typeof result.message, 'string');
    assert.ok(result.message.length > 0, `a failure of ${JSON.stringify(expr)} says why`);
  }
}

describe('fuzzing: FEEL', { timeout: 180_000 }, () => {
  let engine: Engine;
  before(async () => {
    engine = (await memoryEngine({ expressionLimits: { timeoutMs: 200 } })).engine;
  });
  after(() => engine.close());

  it('an expression from the grammar gives a value or a failure, never a throw', () => {
    fc.assert(
      fc.property(expression, context, (e, ctx) => checkResult(e, ctx)),
      fuzzParameters(300),
    );
  });

  it('a broken or random expression gives a value or a failure, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(mutilated, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
        context,
        (e, ctx) => checkResult(e, ctx),
      ),
      fuzzParameters(1_000),
    );
  });
});
