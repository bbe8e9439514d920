import type { Result } from '../expressions/feel.js';
import { evaluateFeel, evaluateUnaryTest, failure, ok } from '../expressions/feel.js';
import type { DecisionTable, ExecutableDecision, ExecutableDrg } from './executable-decision.js';

/** An input of a decision table with the value it had (Zeebe's EvaluatedInput). */
export interface EvaluatedInput {
  readonly inputId: string;
  /** The input's label, else its expression cut to 30 characters (as Zeebe names it). */
  readonly inputName: string;
  readonly inputValue: unknown;
}

/** An output of a matched rule with its value (Zeebe's EvaluatedOutput). */
export interface EvaluatedOutput {
  readonly outputId: string;
  /** The output's label, else its name (as Zeebe and the Modeler favour the label). */
  readonly outputName: string;
  readonly outputValue: unknown;
}

/** A rule that matched: its id, its 1-based position in the table (as Zeebe counts), and its outputs. */
export interface MatchedRule {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly evaluatedOutputs: readonly EvaluatedOutput[];
}

/** One decision evaluated while evaluating the requested one (required decisions first). */
export interface EvaluatedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  readonly output: unknown;
  /** Decision tables only: every input with its value. */
  readonly evaluatedInputs: readonly EvaluatedInput[];
  /** Decision tables only: the rules that made the result (one for UNIQUE, FIRST and PRIORITY). */
  readonly matchedRules: readonly MatchedRule[];
}

export interface DecisionResult {
  readonly output: unknown;
  /** Every decision evaluated (required ones first), with its inputs and the rules that matched. */
  readonly evaluated: readonly EvaluatedDecision[];
}

/** A failed evaluation: the decision that failed, why, and the decisions evaluated before it. */
export interface DecisionFailure {
  readonly ok: false;
  /** "Expected to evaluate decision '<id>', but <cause>", as Zeebe words it. */
  readonly message: string;
  readonly failedDecisionId: string;
  readonly evaluated: readonly EvaluatedDecision[];
}

/**
 * Evaluates a decision of a DRG against variables: its required decisions first (their results are visible
 * under their ids), then its decision table or literal expression. A failure names the decision that failed.
 * `now` is what `now()` and `today()` return: the processed command's time.
 */
export function evaluateDecisionGraph(
  drg: ExecutableDrg,
  decisionId: string,
  variables: Record<string, unknown>,
  now: number,
): { readonly ok: true; readonly value: DecisionResult } | DecisionFailure {
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();
  let failedDecisionId = decisionId;
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
    if (!result.ok) {
      failedDecisionId = id;
      return failure(`Expected to evaluate decision '${id}', but ${result.message}`);
    }
    results.set(id, result.value.value);
    evaluated.push(evaluatedDecision(decision, result.value));
    return ok(result.value.value);
  };
  const output = visit(decisionId, []);
  if (!output.ok) return { ok: false, message: output.message, failedDecisionId, evaluated };
  return { ok: true, value: { output: output.value, evaluated } };
}

interface LogicResult {
  readonly value: unknown;
  readonly inputs: readonly EvaluatedInput[];
  readonly matchedRules: readonly MatchedRule[];
}

function evaluatedDecision(decision: ExecutableDecision, result: LogicResult): EvaluatedDecision {
  return {
    decisionId: decision.id,
    decisionName: decision.name,
    decisionType: decision.logic.kind === 'literal' ? 'LITERAL_EXPRESSION' : 'DECISION_TABLE',
    output: result.value,
    evaluatedInputs: result.inputs,
    matchedRules: result.matchedRules,
  };
}

function evaluateLiteral(
  expression: string,
  context: Record<string, unknown>,
  now: number,
): Result<LogicResult> {
  const result = evaluateFeel(expression, context, now);
  return result.ok ? ok({ value: result.value, inputs: [], matchedRules: [] }) : result;
}

function evaluateTable(
  table: DecisionTable,
  context: Record<string, unknown>,
  now: number,
): Result<LogicResult> {
  const inputValues: unknown[] = [];
  for (const input of table.inputs) {
    const value = evaluateFeel(input.expression, context, now);
    if (!value.ok) return value;
    inputValues.push(value.value);
  }
  const inputs = table.inputs.map((input, i) => ({
    inputId: input.id,
    inputName: input.label || input.expression.slice(0, 30),
    inputValue: inputValues[i] ?? null,
  }));
  const matched: Match[] = [];
  for (const [ruleIndex, rule] of table.rules.entries()) {
    let matches = true;
    for (const [index, entry] of rule.inputEntries.entries()) {
      if (entry === '' || entry === '-') continue;
      const test = evaluateUnaryTest(entry, { ...context, '?': inputValues[index] }, now);
      if (!test.ok) return failure(`rule '${rule.id}': ${test.message}`);
      if (test.value !== true) {
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
    matched.push({
      output,
      values,
      rule: {
        ruleId: rule.id,
        ruleIndex: ruleIndex + 1,
        evaluatedOutputs: table.outputs.map((o, i) => ({
          outputId: o.id,
          outputName: o.label || o.name,
          outputValue: values[i] ?? null,
        })),
      },
    });
  }
  const ids = matched.map((m) => m.rule.ruleId);
  const result = (value: unknown, rules: readonly Match[] = matched) =>
    ok({ value, inputs, matchedRules: rules.map((m) => m.rule) });
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
      return result(matched[0]!.output);
    case 'FIRST':
      return result(matched[0]?.output ?? null, matched.slice(0, 1));
    case 'ANY': {
      const distinct = new Set(matched.map((m) => JSON.stringify(m.output)));
      if (distinct.size > 1)
        return failure(
          `hit policy ANY requires the matching rules to agree, but ${ids.join(', ')} give different outputs`,
        );
      return result(matched[0]?.output ?? null);
    }
    case 'PRIORITY': {
      const [first] = byPriority(table, matched);
      return result(first?.output ?? null, first ? [first] : []);
    }
    case 'OUTPUT ORDER':
      return result(byPriority(table, matched).map((m) => m.output));
    case 'RULE ORDER':
      return result(matched.map((m) => m.output));
    case 'COLLECT': {
      if (!table.aggregation) return result(matched.map((m) => m.output));
      if (table.aggregation === 'COUNT') return result(matched.length);
      const numbers = matched.map((m) => m.values[0]);
      if (!numbers.every((n) => typeof n === 'number'))
        return failure(`COLLECT ${table.aggregation} needs numeric outputs`);
      const list = numbers as number[];
      if (list.length === 0) return result(null);
      const value =
        table.aggregation === 'SUM'
          ? list.reduce((a, b) => a + b, 0)
          : table.aggregation === 'MIN'
            ? Math.min(...list)
            : Math.max(...list);
      return result(value);
    }
  }
}

interface Match {
  readonly output: unknown;
  readonly values: unknown[];
  readonly rule: MatchedRule;
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
