import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { ExecutableProcess } from './executable.js';
import { compileProcess } from './compile-process.js';
import type { ModelProblem } from './deployment-error.js';
import { formatProblems } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import type { Result } from '../expressions/feel.js';

const moddle = new BpmnModdle({ zeebe });

/**
 * Parses a BPMN 2.0 XML resource (Camunda 8 flavour) and compiles every executable process in it.
 * Fails with a message naming each problem's element id (and line where the parser knows it);
 * a resource with any problem yields no process at all.
 */
export async function parseBpmn(resourceName: string, xml: string): Promise<Result<ExecutableProcess[]>> {
  let definitions: ModdleElement;
  let warnings: { message: string; element?: ModdleElement }[];
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement as unknown as ModdleElement;
    warnings = parsed.warnings as unknown as { message: string; element?: ModdleElement }[];
  } catch (err) {
    return { ok: false, message: formatProblems(resourceName, [problemFromParser((err as Error).message)]) };
  }
  const problems: ModelProblem[] = warnings.map((w) => problemFromParser(w.message, w.element?.id));
  const rootElements = (definitions.rootElements as ModdleElement[] | undefined) ?? [];
  const processes = rootElements.filter((e) => e.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p.isExecutable !== false);
  if (processes.length === 0) {
    problems.push({ message: 'the resource contains no BPMN process' });
  } else if (executable.length === 0) {
    problems.push({ message: 'the resource contains no executable process (isExecutable="true")' });
  }
  const compiled: ExecutableProcess[] = [];
  for (const process of executable) {
    const result = compileProcess(process);
    if (result.ok) compiled.push(result.value);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) return { ok: false, message: formatProblems(resourceName, problems) };
  return { ok: true, value: compiled };
}

function problemFromParser(message: string, elementId?: string): ModelProblem {
  // bpmn-moddle reports "unparsable content <x> detected\n\tline: 6\n\tcolumn: 1\n\tnested error: …"
  const line = /line: (\d+)/.exec(message);
  const nested = /nested error: (.*)/.exec(message);
  const head = message.split('\n')[0] ?? message;
  const text = nested ? `${head} (${nested[1]})` : head;
  return { elementId, line: line ? Number(line[1]) + 1 : undefined, message: text };
}
