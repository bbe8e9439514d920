import { checkFeelSyntax, feelExpressionOf, feelStringLiteral } from '../expressions/feel.js';
import type { ExpressionOrStatic, VariableMapping } from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';

/** Adds a problem naming the element and attribute when a FEEL expression does not parse. */
export function checkExpression(
  elementId: string,
  what: string,
  expression: string,
  problems: ModelProblem[],
): void {
  const error = checkFeelSyntax(expression);
  if (error)
    problems.push({ elementId, message: `the ${what} expression '${expression}' is invalid: ${error}` });
}

export function compileExpressionOrStatic(
  elementId: string,
  what: string,
  text: string,
  problems: ModelProblem[],
): ExpressionOrStatic {
  const expression = feelExpressionOf(text);
  if (expression === undefined) return { kind: 'static', value: text };
  checkExpression(elementId, what, expression, problems);
  return { kind: 'expression', expression };
}

const TARGET = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/** Compiles `zeebe:input` / `zeebe:output` parameters; a static source becomes a string literal. */
export function compileMappings(
  elementId: string,
  parameters: unknown,
  kind: 'input' | 'output',
  problems: ModelProblem[],
): VariableMapping[] {
  const list = Array.isArray(parameters) ? (parameters as ModdleElement[]) : [];
  const mappings: VariableMapping[] = [];
  for (const parameter of list) {
    const target = typeof parameter.target === 'string' ? parameter.target.trim() : '';
    const sourceText = typeof parameter.source === 'string' ? parameter.source.trim() : '';
    if (!TARGET.test(target)) {
      problems.push({
        elementId,
        message: `the ${kind} mapping target '${target}' is not a variable name or path`,
      });
      continue;
    }
    const expression = feelExpressionOf(sourceText);
    if (expression === undefined) {
      mappings.push({ source: sourceText === '' ? 'null' : feelStringLiteral(sourceText), target });
      continue;
    }
    checkExpression(elementId, `${kind} mapping '${target}'`, expression, problems);
    mappings.push({ source: expression, target });
  }
  return mappings;
}
