import { parseExpression } from 'feelin';

/**
 * A process variable named like a FEEL built-in (`date`, `time`, `count` …) must not hide the function:
 * Zeebe's FEEL engine calls `date("2024-01-01")` whatever the variables are, while feelin, which reads the
 * variables' names while it parses, takes `date(…)` for a call of the variable and fails ("Cannot invoke").
 *
 * `unshadow` rewrites such an expression so that feelin sees the built-in: the shadowing variables leave the
 * context under another name, and the expression's own references to them (not the calls) are renamed to
 * match. It is used only after an evaluation failed for a function that was not found, so that every other
 * expression is evaluated exactly as written.
 */
export function unshadow(
  expression: string,
  context: Record<string, unknown>,
): { expression: string; context: Record<string, unknown> } | undefined {
  const shadowing = Object.keys(context).filter(
    (name) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
      typeof context[name] !== 'function' &&
      (new RegExp(`\\b${name}\\s*\\(`).test(expression) ||
        ((name === 'date' || name === 'time') && /\bdate\s+and\s+time\s*\(/.test(expression))),
  );
  if (shadowing.length === 0) return undefined;
  const alias = (name: string) => `__baton_variable_${name}`;
  const hidden = new Set(shadowing);
  const parseContext: Record<string, unknown> = {};
  for (const name of Object.keys(context)) if (!hidden.has(name)) parseContext[name] = null;
  let tree: ReturnType<typeof parseExpression>;
  try {
    tree = parseExpression(expression, parseContext, undefined);
  } catch {
    return undefined;
  }
  // References to a hidden variable: a VariableName that is not the name of a call, a path's property or a
  // context entry's key. Collected first, replaced from the end so that positions stay right.
  const references: { from: number; to: number; name: string }[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.name !== 'VariableName') return;
      const name = expression.slice(node.from, node.to).trim();
      if (!hidden.has(name)) return;
      const parent = node.node.parent;
      if (parent?.type.name === 'FunctionInvocation' && parent.firstChild?.from === node.from) return;
      if (parent?.type.name === 'PathExpression' && parent.firstChild?.from !== node.from) return;
      if (parent?.type.name === 'Key' || parent?.type.name === 'ContextEntry') return;
      references.push({ from: node.from, to: node.to, name });
    },
  });
  let rewritten = expression;
  for (const { from, to, name } of references.reverse())
    rewritten = rewritten.slice(0, from) + alias(name) + rewritten.slice(to);
  const renamed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(context)) renamed[hidden.has(name) ? alias(name) : name] = value;
  return { expression: rewritten, context: renamed };
}
