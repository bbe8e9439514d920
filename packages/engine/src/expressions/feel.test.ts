import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as feelin from 'feelin';
import { checkFeelSyntax, evaluateFeel, evaluateUnaryTest, variableNameOf } from './feel.js';

describe('FEEL', () => {
  it('evaluates against variables and returns JSON-compatible values', () => {
    assert.deepEqual(evaluateFeel('{total: sum(items), first: items[1]}', { items: [2, 3] }, undefined), {
      ok: true,
      value: { total: 5, first: 2 },
    });
    const date = evaluateFeel('date and time("2030-01-01T10:00:00Z")', {}, undefined);
    assert.ok(date.ok && typeof date.value === 'string');
  });

  it('yields null with warnings for a missing variable, and fails for a missing function', () => {
    const missing = evaluateFeel('x > 5', {}, undefined);
    assert.ok(missing.ok && missing.value === null && (missing.warnings?.length ?? 0) > 0);
    const noFunction = evaluateFeel('frobnicate(1)', {}, undefined);
    assert.equal(noFunction.ok, false);
  });

  it('detects syntax errors without evaluating', () => {
    assert.equal(checkFeelSyntax('a + b * 2'), undefined);
    assert.match(checkFeelSyntax('a +') ?? '', /syntax error/);
    assert.match(checkFeelSyntax('') ?? '', /empty/);
  });

  it('now() and today() read the given time (the command being processed), not the wall clock', () => {
    const at = Date.UTC(2030, 0, 1, 12, 30, 0, 250);
    const now = evaluateFeel('now()', {}, at);
    assert.ok(now.ok && typeof now.value === 'string');
    const parsed = evaluateFeel(`date and time("${now.value}")`, {}, at);
    assert.ok(parsed.ok);
    // The same instant, whatever the machine's time zone is.
    const instant = evaluateFeel('now() = date and time("2030-01-01T12:30:00.25Z")', {}, at);
    assert.deepEqual(instant, { ok: true, value: true });
    const later = evaluateFeel('now() + duration("PT1H") > now()', {}, at);
    assert.deepEqual(later, { ok: true, value: true });
    const today = evaluateFeel('today()', {}, at);
    assert.ok(today.ok && /^2030-01-0[12]$/.test(String(today.value)));
    assert.deepEqual(evaluateFeel('now()', {}, at), now, 'the same time gives the same value');
    assert.deepEqual(evaluateUnaryTest('< date and time("2031-01-01T00:00:00Z")', { '?': null }, at), {
      ok: true,
      value: false,
    });
    assert.deepEqual(evaluateUnaryTest('< now()', { '?': evaluateDateTime('2029-12-31T00:00:00Z') }, at), {
      ok: true,
      value: true,
    });
  });

  it('a variable named now or today still shadows the function, as in feelin', () => {
    assert.deepEqual(evaluateFeel('today', { today: 'Monday' }, 0), { ok: true, value: 'Monday' });
    assert.deepEqual(evaluateFeel('now()', { today: 'Monday' }, 0).ok, true);
  });

  it('names the variable an expression reads when it is only a variable or a path into one', () => {
    for (const [expression, name] of [
      ['r', 'r'],
      [' r.total ', 'r'],
      ['r.a.b', 'r'],
      ['(r).x', 'r'],
      ['r + 1', undefined],
      ['r[1]', undefined],
      ['{x: r}', undefined],
      ['now()', undefined],
      ['"r"', undefined],
      ['r.', undefined],
    ] as const)
      assert.equal(variableNameOf(expression), name, expression);
  });
});

function evaluateDateTime(text: string): unknown {
  const { evaluate } = feelin;
  return evaluate(`date and time("${text}")`, {}).value;
}

describe('FEEL built-ins and variables of the same name', () => {
  const at = Date.UTC(2030, 0, 1);
  const value = (expression: string, context: Record<string, unknown>) => {
    const result = evaluateFeel(expression, context, at);
    return result.ok ? result.value : `failed: ${result.message}`;
  };
  it('calls the built-in even when a variable has its name, as Zeebe does', () => {
    const vars = { date: '2024-05-01', time: '12:00:00', count: 7 };
    assert.equal(value('date("2024-01-01")', vars), '2024-01-01');
    assert.equal(value('date and time("2024-01-01T10:00:00Z")', vars), '2024-01-01T10:00:00Z');
    assert.equal(value('count([1, 2]) + count', vars), 9, 'the call is the function, the name the variable');
    assert.equal(value('date(date)', vars), '2024-05-01');
    assert.equal(value('{date: 1}.date + count', vars), 8, 'a context key of that name is left alone');
  });
  it('leaves expressions that do not call a shadowed built-in as they are', () => {
    assert.equal(value('date', { date: 'x' }), 'x');
    assert.match(String(value('nope(1)', { nope: 'x' })), /failed: .*Cannot invoke/);
  });
});
