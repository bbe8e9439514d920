import type { Result } from '../expressions/feel.js';
import { evaluateFeel, evaluateUnaryTest, failure, ok } from '../expressions/feel.js';
import type { DecisionTable, ExecutableDrg } from './executable-decision.js';

export interface DecisionResult {
  readonly output: unknown;
  /** Every decision evaluated (required ones first), with the rules that matched. */
  readonly evaluated: readonly {
    readonly decisionId: string;
    readonly output: unknown;
    readonly matchedRules: readonly string[];
  }[];
}

/**
 * Evaluates a decision of a DRG against variables: its required decisions first (their results are visible
 * under their ids), then its decision table or literal expression. Fails with a message naming the decision.
 * `now` is what `now()` and `today()` return: the processed command's time.
 */
export function evaluateDecision(
  drg: ExecutableDrg,
  decisionId: string,
  variables: Record<string, unknown>,
  now: number,
): Result<DecisionResult> {
  const evaluated: { decisionId: string; output: unknown; matchedRules: string[] }[] = [];
  const results = new Map<string, unknown>();
  const visit = (id: string, path: string[]): Result<unknown> => {
    if (results.has(id)) return ok(results.get(id));
    if (path.includes(id)) return failure(`decision '${id}' requires itself (${[...path, id].join(' → ')})`);
    const decision = drg.decisions[id];
    if (!decision) return failure(`no decision '${id}' in '${drg.id}'`);
    const context: Record<string, unknown> = { ...variables };
    for (const required of decision.requiredDecisions) {
      const result = visit(required, [...path, id]);
      if (!result.ok) return result;
      context[required] = result.value;
    }
    const result =
      decision.logic.kind === 'literal'
        ? evaluateLiteral(decision.logic.expression, context, now)
        : evaluateTable(decision.logic, context, now);
    if (!result.ok) return failure(`failed to evaluate decision '${id}': ${result.message}`);
    const { value, matchedRules } = result.value;
    results.set(id, value);
    evaluated.push({ decisionId: id, output: value, matchedRules });
    return ok(value);
  };
  const output = visit(decisionId, []);
  if (!output.ok) return output;
  return ok({ output: output.value, evaluated });
}

function evaluateLiteral(
  expression: string,
  context: Record<string, unknown>,
  now: number,
): Result<{ value: unknown; matchedRules: string[] }> {
  const result = evaluateFeel(expression, context, now);
  return result.ok ? ok({ value: result.value, matchedRules: [] }) : result;
}

function evaluateTable(
  table: DecisionTable,
  context: Record<string, unknown>,
  now: number,
): Result<{ value: unknown; matchedRules: string[] }> {
  const inputValues: unknown[] = [];
  for (const input of table.inputs) {
    const value = evaluateFeel(input.expression, context, now);
    if (!value.ok) return value;
    inputValues.push(value.value);
  }
  const matched: { id: string; output: unknown; values: unknown[] }[] = [];
  for (const rule of table.rules) {
    let matches = true;
    for (const [index, entry] of rule.inputEntries.entries()) {
      if (entry === '' || entry === '-') continue;
      const test = evaluateUnaryTest(entry, { ...context, '?': inputValues[index] }, now);
      if (test !== true) {
        matches = false;
        break;
      }
    }
    if (!matches) continue;
    const values: unknown[] = [];
    for (const entry of rule.outputEntries) {
      const value = entry === '' ? ok(null) : evaluateFeel(entry, context, now);
      if (!value.ok) return failure(`rule '${rule.id}': ${value.message}`);
      values.push(value.value);
    }
    const output =
      table.outputs.length === 1
        ? values[0]
        : Object.fromEntries(table.outputs.map((o, i) => [o.name, values[i]]));
    matched.push({ id: rule.id, output, values });
  }
  const ids = matched.map((m) => m.id);
  const single = (value: unknown) => ok({ value, matchedRules: ids });
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1)
        return failure(
          `hit policy UNIQUE allows one matching rule, but ${matched.length} matched: ${ids.join(', ')}`,
        );
      if (matched.length === 0)
        return failure(
          `hit policy UNIQUE requires a matching rule, but none matched the inputs ${JSON.stringify(inputValues)}`,
        );
      return single(matched[0]!.output);
    case 'FIRST':
      return ok({ value: matched[0]?.output ?? null, matchedRules: ids.slice(0, 1) });
    case 'ANY': {
      const distinct = new Set(matched.map((m) => JSON.stringify(m.output)));
      if (distinct.size > 1)
        return failure(
          `hit policy ANY requires the matching rules to agree, but ${ids.join(', ')} give different outputs`,
        );
      return single(matched[0]?.output ?? null);
    }
    case 'PRIORITY': {
      const [first] = byPriority(table, matched);
      return ok({ value: first?.output ?? null, matchedRules: first ? [first.id] : [] });
    }
    case 'OUTPUT ORDER':
      return single(byPriority(table, matched).map((m) => m.output));
    case 'RULE ORDER':
      return single(matched.map((m) => m.output));
    case 'COLLECT': {
      if (!table.aggregation) return single(matched.map((m) => m.output));
      if (table.aggregation === 'COUNT') return single(matched.length);
      const numbers = matched.map((m) => m.values[0]);
      if (!numbers.every((n) => typeof n === 'number'))
        return failure(`COLLECT ${table.aggregation} needs numeric outputs`);
      const list = numbers as number[];
      if (list.length === 0) return single(null);
      const value =
        table.aggregation === 'SUM'
          ? list.reduce((a, b) => a + b, 0)
          : table.aggregation === 'MIN'
            ? Math.min(...list)
            : Math.max(...list);
      return single(value);
    }
  }
}

/** Sorts matches by the output values' priority order (outputValues), first output first; ties keep rule order. */
function byPriority<T extends { values: unknown[] }>(table: DecisionTable, matched: T[]): T[] {
  const rank = (m: T) =>
    table.outputs.map((o, i) => {
      const index = o.priorities?.indexOf(JSON.stringify(m.values[i])) ?? -1;
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    });
  return [...matched].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  });
}
