import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import type { ExecutableProcess } from './executable.js';
import { compileProcess } from './compile-process.js';
import type { ModelProblem } from './deployment-error.js';
import { formatProblems } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import type { ParserWarning, ParseWarnings } from './parser-warnings.js';
import { formatWarnings, problemFromParser, splitParserWarnings, textForParser } from './parser-warnings.js';
import type { Result } from '../expressions/feel.js';
import {
  countFlowElements,
  countFlowElementTags,
  DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE,
  flowElementLimitMessage,
} from './flow-element-limit.js';

const moddle = new BpmnModdle({ zeebe });

export interface ParseBpmnOptions {
  /** The most flow elements the resource may hold (default `DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE`). */
  readonly maxFlowElements?: number;
}

/** A resource refused for its size, before or right after parsing: no process, and why. */
export interface FlowElementLimitExceeded {
  readonly ok: false;
  readonly message: string;
  readonly modelWarnings: readonly string[];
  readonly limitExceeded: { readonly flowElements: number; readonly limit: number };
}

/**
 * Parses a BPMN 2.0 XML resource (Camunda 8 flavour) and compiles every executable process in it.
 * Fails with a message naming each problem's element id (and line where the parser knows it);
 * a resource with any problem yields no process at all. What execution does not depend on (diagram
 * interchange, artifacts) refuses nothing: it comes back as `modelWarnings`.
 *
 * A resource with more flow elements than `options.maxFlowElements` is refused (`limitExceeded`) before it is
 * parsed, by counting its tags, and again after parsing, by counting what the parser read.
 */
export async function parseBpmn(
  resourceName: string,
  xml: string,
  options: ParseBpmnOptions = {},
): Promise<(Result<ExecutableProcess[]> & ParseWarnings) | FlowElementLimitExceeded> {
  const limit = options.maxFlowElements ?? DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE;
  const tooMany = (flowElements: number): FlowElementLimitExceeded | undefined =>
    flowElements > limit
      ? {
          ok: false,
          message: flowElementLimitMessage(resourceName, flowElements, limit),
          modelWarnings: [],
          limitExceeded: { flowElements, limit },
        }
      : undefined;
  const tagged = tooMany(countFlowElementTags(xml));
  if (tagged) return tagged;
  let definitions: ModdleElement;
  let parserWarnings: ParserWarning[];
  try {
    const parsed = await moddle.fromXML(textForParser(xml), 'bpmn:Definitions');
    definitions = parsed.rootElement as unknown as ModdleElement;
    parserWarnings = parsed.warnings as unknown as ParserWarning[];
  } catch (err) {
    return {
      ok: false,
      message: formatProblems(resourceName, [problemFromParser((err as Error).message)]),
      modelWarnings: [],
    };
  }
  const read = tooMany(countFlowElements(definitions));
  if (read) return read;
  const split = splitParserWarnings(parserWarnings);
  const problems: ModelProblem[] = split.problems;
  const modelWarnings = formatWarnings(resourceName, split.ignored);
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
  if (problems.length > 0)
    return { ok: false, message: formatProblems(resourceName, problems), modelWarnings };
  return { ok: true, value: compiled, modelWarnings };
}
