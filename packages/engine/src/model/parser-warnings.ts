import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';

/** What the moddle parsers (bpmn-moddle, dmn-moddle) report next to the tree they read. */
export interface ParserWarning {
  readonly message: string;
  readonly element?: ModdleElement;
  readonly property?: string;
}

/** A parse result's warnings: what the parser or the compiler noticed but execution does not depend on. */
export interface ParseWarnings {
  /** One line each, naming the resource and the element. */
  readonly modelWarnings: readonly string[];
}

/**
 * Element kinds whose content never reaches execution: diagram interchange (shapes, edges, planes, labels,
 * styles), the artifacts drawn next to the flow (associations, groups, text annotations), lanes, pools and
 * message flows, and data objects and stores with their associations (Zeebe does not run them). A broken
 * reference or an unknown attribute there leaves the model runnable; Zeebe deploys such models.
 */
const NOT_EXECUTED = new RegExp(
  '^(bpmndi|di|dc|dmndi|biodi|color):|^bpmn:(' +
    [
      'Association',
      'Group',
      'TextAnnotation',
      'Category',
      'CategoryValue',
      'Lane',
      'LaneSet',
      'Participant',
      'MessageFlow',
      'DataObject',
      'DataObjectReference',
      'DataStore',
      'DataStoreReference',
      'DataInputAssociation',
      'DataOutputAssociation',
    ].join('|') +
    ')$',
);

/**
 * Splits the parser's warnings into problems that refuse the resource (anything in the semantic model:
 * an unresolved `sourceRef`, an unknown element in a process …) and warnings (the same in diagram
 * interchange or artifacts). Encoding notices are dropped: the text was decoded before it got here.
 */
export function splitParserWarnings(warnings: readonly ParserWarning[]): {
  problems: ModelProblem[];
  ignored: ModelProblem[];
} {
  const problems: ModelProblem[] = [];
  const ignored: ModelProblem[] = [];
  for (const warning of warnings) {
    if (/^unsupported document encoding/.test(warning.message)) continue;
    const problem = problemFromParser(warning.message, warning.element?.id);
    if (isNotExecuted(warning)) ignored.push(problem);
    else problems.push(problem);
  }
  return { problems, ignored };
}

function isNotExecuted(warning: ParserWarning): boolean {
  if (warning.element) return NOT_EXECUTED.test(warning.element.$type);
  // "unparsable content <x:Foo/> detected … nested error: unknown type <bpmndi:Foo>": the nested error names
  // the type with the package's own prefix, whatever prefix the document chose.
  const type = /unknown type <([^>]+)>/.exec(warning.message)?.[1];
  return type !== undefined && NOT_EXECUTED.test(type);
}

/** A parser message as a problem: its first line, the nested error, and the line (1-based) where known. */
export function problemFromParser(message: string, elementId?: string): ModelProblem {
  // bpmn-moddle reports "unparsable content <x> detected\n\tline: 6\n\tcolumn: 1\n\tnested error: …"
  const line = /line: (\d+)/.exec(message);
  const nested = /nested error: (.*)/.exec(message);
  const head = message.split('\n')[0] ?? message;
  const text = nested ? `${head} (${nested[1]})` : head;
  return { elementId, line: line ? Number(line[1]) + 1 : undefined, message: text };
}

/** Warnings as lines naming the resource, as deployment results and logs carry them. */
export function formatWarnings(resourceName: string, problems: readonly ModelProblem[]): string[] {
  return problems.map((p) => {
    const where = [
      p.elementId ? `element '${p.elementId}'` : undefined,
      p.line ? `line ${p.line}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return `'${resourceName}'${where ? `, ${where}` : ''}: ${p.message} (ignored: it does not affect execution)`;
  });
}

/**
 * The text handed to the parser. The resource is already text (decoded by its declaration at the edge where
 * bytes came in), so a declared encoding other than UTF-8 no longer describes it: the declaration is made to
 * say UTF-8, and a byte order mark is dropped.
 */
export function textForParser(xml: string): string {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  return text.replace(
    /^(\s*<\?xml[^?]*?\bencoding\s*=\s*)(["'])([^"']*)\2/,
    (whole, start: string, quote: string, encoding: string) =>
      /^utf-?8$/i.test(encoding) ? whole : `${start}${quote}UTF-8${quote}`,
  );
}
