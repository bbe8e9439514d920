import { DmnModdle } from 'dmn-moddle';
import { parseUnaryTests } from 'feelin';
import type { Result } from '../expressions/feel.js';
import { checkFeelSyntax } from '../expressions/feel.js';
import type { ModelProblem } from '../model/deployment-error.js';
import { formatProblems } from '../model/deployment-error.js';
import type { ModdleElement } from '../model/moddle-element.js';
import type { ParserWarning, ParseWarnings } from '../model/parser-warnings.js';
import {
  formatWarnings,
  problemFromParser,
  splitParserWarnings,
  textForParser,
} from '../model/parser-warnings.js';
import type { DecisionTable, ExecutableDecision, ExecutableDrg, HitPolicy } from './executable-decision.js';

const moddle = new DmnModdle();
const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];

/**
 * Parses a DMN 1.3 resource and compiles its decisions (tables and literal expressions); problems name the
 * element. Diagram interchange (`dmndi:`) refuses nothing: its problems come back as `warnings`.
 */
export async function parseDmn(
  resourceName: string,
  xml: string,
): Promise<Result<ExecutableDrg> & ParseWarnings> {
  let definitions: ModdleElement;
  let parserWarnings: ParserWarning[];
  try {
    const parsed = await moddle.fromXML(textForParser(xml), 'dmn:Definitions');
    definitions = parsed.rootElement as unknown as ModdleElement;
    parserWarnings = parsed.warnings as unknown as ParserWarning[];
  } catch (err) {
    return {
      ok: false,
      message: formatProblems(resourceName, [problemFromParser((err as Error).message)]),
      modelWarnings: [],
    };
  }
  const split = splitParserWarnings(parserWarnings);
  const modelWarnings = formatWarnings(resourceName, split.ignored);
  if (split.problems.length > 0)
    return { ok: false, message: formatProblems(resourceName, split.problems), modelWarnings };
  const problems: ModelProblem[] = [];
  const decisions: Record<string, ExecutableDecision> = {};
  for (const element of (definitions.drgElement as ModdleElement[] | undefined) ?? []) {
    if (element.$type !== 'dmn:Decision') continue;
    const decision = compileDecision(element, problems);
    if (decision) decisions[decision.id] = decision;
  }
  if (Object.keys(decisions).length === 0) problems.push({ message: 'the resource contains no decision' });
  for (const decision of Object.values(decisions)) {
    for (const required of decision.requiredDecisions) {
      if (!decisions[required])
        problems.push({
          elementId: decision.id,
          message: `the required decision '${required}' is not in this resource`,
        });
    }
  }
  if (problems.length > 0)
    return { ok: false, message: formatProblems(resourceName, problems), modelWarnings };
  return {
    ok: true,
    value: { id: definitions.id ?? resourceName, name: definitions.name ?? '', decisions },
    modelWarnings,
  };
}

function compileDecision(element: ModdleElement, problems: ModelProblem[]): ExecutableDecision | undefined {
  const id = element.id ?? '';
  const requiredDecisions = ((element.informationRequirement as ModdleElement[] | undefined) ?? [])
    .map((r) => (r.requiredDecision as { href?: string } | undefined)?.href?.replace(/^#/, ''))
    .filter((r): r is string => Boolean(r));
  const logic = element.decisionLogic as ModdleElement | undefined;
  const problem = (message: string) => problems.push({ elementId: id, message });
  if (logic?.$type === 'dmn:LiteralExpression') {
    const expression = typeof logic.text === 'string' ? logic.text.trim() : '';
    const error = checkFeelSyntax(expression);
    if (error) problem(`the literal expression '${expression}' is invalid: ${error}`);
    return { id, name: element.name ?? id, requiredDecisions, logic: { kind: 'literal', expression } };
  }
  if (logic?.$type !== 'dmn:DecisionTable') {
    problem(
      `decision logic '${logic?.$type ?? 'none'}' is not supported (decision tables and literal expressions are)`,
    );
    return undefined;
  }
  const hitPolicy = (typeof logic.hitPolicy === 'string' ? logic.hitPolicy : 'UNIQUE') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) problem(`hit policy '${hitPolicy}' is not supported`);
  const aggregation =
    typeof logic.aggregation === 'string' ? (logic.aggregation as DecisionTable['aggregation']) : undefined;
  const inputs = ((logic.input as ModdleElement[] | undefined) ?? []).map((input) => {
    const expression =
      ((input.inputExpression as ModdleElement | undefined)?.text as string | undefined)?.trim() ?? '';
    const error = checkFeelSyntax(expression);
    if (error) problem(`the input expression '${expression}' is invalid: ${error}`);
    return {
      id: (input.id as string | undefined) ?? '',
      expression,
      label: input.label as string | undefined,
    };
  });
  const outputs = ((logic.output as ModdleElement[] | undefined) ?? []).map((output, index) => {
    const values = (output.outputValues as ModdleElement | undefined)?.text as string | undefined;
    const priorities = values ? values.split(',').map((v) => v.trim()) : undefined;
    const label = output.label as string | undefined;
    return {
      id: (output.id as string | undefined) ?? '',
      name: (output.name as string | undefined) || `output${index + 1}`,
      ...(label ? { label } : {}),
      ...(priorities ? { priorities } : {}),
    };
  });
  const rules = ((logic.rule as ModdleElement[] | undefined) ?? []).map((rule) => {
    const entries = (list: unknown) =>
      ((list as ModdleElement[] | undefined) ?? []).map((e) => ((e.text as string | undefined) ?? '').trim());
    const inputEntries = entries(rule.inputEntry);
    const outputEntries = entries(rule.outputEntry);
    if (inputEntries.length !== inputs.length || outputEntries.length !== outputs.length) {
      problems.push({
        elementId: rule.id,
        message: `rule '${rule.id}' must have one entry per input and per output`,
      });
    }
    for (const entry of inputEntries) {
      if (entry === '' || entry === '-') continue;
      try {
        let broken = false;
        parseUnaryTests(entry, {}, undefined).iterate({
          enter: (n) => void (n.type.isError && (broken = true)),
        });
        if (broken)
          problems.push({
            elementId: rule.id,
            message: `the input entry '${entry}' is not a valid unary test`,
          });
      } catch (err) {
        problems.push({
          elementId: rule.id,
          message: `the input entry '${entry}' is not a valid unary test: ${(err as Error).message}`,
        });
      }
    }
    for (const entry of outputEntries) {
      const error = entry === '' ? undefined : checkFeelSyntax(entry);
      if (error)
        problems.push({ elementId: rule.id, message: `the output entry '${entry}' is invalid: ${error}` });
    }
    return { id: (rule.id as string | undefined) ?? '', inputEntries, outputEntries };
  });
  return {
    id,
    name: element.name ?? id,
    requiredDecisions,
    logic: { kind: 'table', hitPolicy, aggregation, inputs, outputs, rules },
  };
}
