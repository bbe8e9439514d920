import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFeelSyntax, evaluateFeel } from './feel.js';

describe('FEEL', () => {
  it('evaluates against variables and returns JSON-compatible values', () => {
    assert.deepEqual(evaluateFeel('{total: sum(items), first: items[1]}', { items: [2, 3] }), {
      ok: true,
      value: { total: 5, first: 2 },
    });
    const date = evaluateFeel('date and time("2030-01-01T10:00:00Z")', {});
    assert.ok(date.ok && typeof date.value === 'string');
  });

  it('yields null with warnings for a missing variable, and fails for a missing function', () => {
    const missing = evaluateFeel('x > 5', {});
    assert.ok(missing.ok && missing.value === null && (missing.warnings?.length ?? 0) > 0);
    const noFunction = evaluateFeel('frobnicate(1)', {});
    assert.equal(noFunction.ok, false);
  });

  it('detects syntax errors without evaluating', () => {
    assert.equal(checkFeelSyntax('a + b * 2'), undefined);
    assert.match(checkFeelSyntax('a +') ?? '', /syntax error/);
    assert.match(checkFeelSyntax('') ?? '', /empty/);
  });
});
