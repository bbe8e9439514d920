import type {
  BpmnElementType,
  ExecutableElement,
  ExecutableProcess,
  ExecutableSequenceFlow,
  JobDefinition,
  VariableMapping,
} from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import { extensionOf, idsOf } from './moddle-element.js';
import { compileExpressionOrStatic, compileMappings, checkExpression } from './compile-expressions.js';

const ELEMENT_TYPES: Readonly<Record<string, BpmnElementType>> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
};

/** Flow elements that carry no behaviour and are left out of the executable graph. */
const IGNORED_TYPES = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export type CompileResult = { ok: true; value: ExecutableProcess } | { ok: false; problems: ModelProblem[] };

/** Validates one `bpmn:Process` and compiles it into an executable graph. */
export function compileProcess(process: ModdleElement): CompileResult {
  const problems: ModelProblem[] = [];
  const processId = process.id ?? '';
  if (!processId) problems.push({ message: 'the process has no id' });
  const elements: Record<string, ExecutableElement> = {};
  const flows: Record<string, ExecutableSequenceFlow> = {};
  const flowElements = (process.flowElements as ModdleElement[] | undefined) ?? [];

  for (const flow of flowElements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
    const compiled = compileSequenceFlow(flow, problems);
    if (compiled) flows[compiled.id] = compiled;
  }

  const noneStartEvents: string[] = [];
  for (const element of flowElements) {
    if (element.$type === 'bpmn:SequenceFlow' || IGNORED_TYPES.has(element.$type)) continue;
    const id = element.id ?? '';
    const type = ELEMENT_TYPES[element.$type];
    if (!type) {
      problems.push({ elementId: id, message: `element type '${element.$type}' is not supported` });
      continue;
    }
    const compiled = compileElement(element, type, processId, problems);
    if (type === 'START_EVENT') noneStartEvents.push(id);
    elements[id] = withFlowsOf(compiled, flows);
  }

  if (noneStartEvents.length === 0) {
    problems.push({ elementId: processId, message: 'the process must have a none start event' });
  } else if (noneStartEvents.length > 1) {
    problems.push({
      elementId: processId,
      message: `the process must have at most one none start event, found ${noneStartEvents.join(', ')}`,
    });
  }
  validateFlows(elements, flows, problems);
  if (problems.length > 0) return { ok: false, problems };

  const processElement: ExecutableElement = {
    id: processId,
    name: process.name,
    type: 'PROCESS',
    flowScopeId: '',
    incoming: [],
    outgoing: [],
    inputMappings: [],
    outputMappings: [],
    noneStartEventId: noneStartEvents[0],
  };
  elements[processId] = processElement;
  return { ok: true, value: { bpmnProcessId: processId, name: process.name, elements, flows } };
}

/**
 * An element's flows come from the sequence flows' sourceRef/targetRef (the `incoming`/`outgoing` children
 * are optional in BPMN). Declared order wins, so conditions are evaluated in the modeller's order.
 */
function withFlowsOf(
  element: ExecutableElement,
  flows: Record<string, ExecutableSequenceFlow>,
): ExecutableElement {
  const all = Object.values(flows);
  const ordered = (declared: readonly string[], actual: string[]) => [
    ...declared.filter((id) => actual.includes(id)),
    ...actual.filter((id) => !declared.includes(id)),
  ];
  const outgoing = all.filter((f) => f.sourceId === element.id).map((f) => f.id);
  const incoming = all.filter((f) => f.targetId === element.id).map((f) => f.id);
  return {
    ...element,
    incoming: ordered(element.incoming, incoming),
    outgoing: ordered(element.outgoing, outgoing),
  };
}

function compileSequenceFlow(
  flow: ModdleElement,
  problems: ModelProblem[],
): ExecutableSequenceFlow | undefined {
  const id = flow.id ?? '';
  const source = (flow.sourceRef as ModdleElement | undefined)?.id;
  const target = (flow.targetRef as ModdleElement | undefined)?.id;
  if (!source || !target) {
    problems.push({ elementId: id, message: 'the sequence flow must have a sourceRef and a targetRef' });
    return undefined;
  }
  const body = (flow.conditionExpression as { body?: string } | undefined)?.body?.trim();
  let condition: string | undefined;
  if (body) {
    if (!body.startsWith('=')) {
      problems.push({
        elementId: id,
        message: `the condition '${body}' must be a FEEL expression starting with '='`,
      });
    } else {
      condition = body.slice(1);
      checkExpression(id, 'condition', condition, problems);
    }
  }
  return { id, sourceId: source, targetId: target, condition };
}

function compileElement(
  element: ModdleElement,
  type: BpmnElementType,
  flowScopeId: string,
  problems: ModelProblem[],
): ExecutableElement {
  const id = element.id ?? '';
  const eventDefinitions = (element.eventDefinitions as ModdleElement[] | undefined) ?? [];
  if (eventDefinitions.length > 0) {
    const kinds = eventDefinitions.map((d) => d.$type).join(', ');
    problems.push({ elementId: id, message: `events with a definition (${kinds}) are not supported yet` });
  }
  const io = extensionOf(element, 'zeebe:IoMapping');
  const inputMappings: VariableMapping[] = compileMappings(id, io?.inputParameters, 'input', problems);
  const outputMappings: VariableMapping[] = compileMappings(id, io?.outputParameters, 'output', problems);
  const taskDefinition = extensionOf(element, 'zeebe:TaskDefinition');
  let job: JobDefinition | undefined;
  let script: ExecutableElement['script'];
  if (type === 'SERVICE_TASK' || (type === 'SCRIPT_TASK' && taskDefinition)) {
    job = compileJobDefinition(element, taskDefinition, problems);
  } else if (type === 'SCRIPT_TASK') {
    script = compileScript(element, problems);
  }
  const defaultFlowId = (element.default as ModdleElement | undefined)?.id;
  return {
    id,
    name: element.name,
    type,
    flowScopeId,
    incoming: idsOf(element.incoming),
    outgoing: idsOf(element.outgoing),
    defaultFlowId,
    inputMappings,
    outputMappings,
    job,
    script,
  };
}

function compileJobDefinition(
  element: ModdleElement,
  taskDefinition: ModdleElement | undefined,
  problems: ModelProblem[],
): JobDefinition | undefined {
  const id = element.id ?? '';
  const type = typeof taskDefinition?.type === 'string' ? taskDefinition.type.trim() : '';
  if (!type) {
    problems.push({
      elementId: id,
      message: "a job worker task must have a 'zeebe:taskDefinition' with a type",
    });
    return undefined;
  }
  const retriesText = typeof taskDefinition?.retries === 'string' ? taskDefinition.retries.trim() : '3';
  const retries = compileExpressionOrStatic(id, 'retries', retriesText || '3', problems);
  if (retries.kind === 'static' && !/^\d+$/.test(retries.value)) {
    problems.push({
      elementId: id,
      message: `retries '${retries.value}' must be a non-negative integer or an expression`,
    });
  }
  const headers: Record<string, string> = {};
  const headerList = (extensionOf(element, 'zeebe:TaskHeaders')?.values as ModdleElement[] | undefined) ?? [];
  for (const header of headerList) {
    if (typeof header.key === 'string')
      headers[header.key] = typeof header.value === 'string' ? header.value : '';
  }
  return { type: compileExpressionOrStatic(id, 'job type', type, problems), retries, headers };
}

function compileScript(element: ModdleElement, problems: ModelProblem[]): ExecutableElement['script'] {
  const id = element.id ?? '';
  const script = extensionOf(element, 'zeebe:Script');
  const expression = typeof script?.expression === 'string' ? script.expression.trim() : '';
  const resultVariable = typeof script?.resultVariable === 'string' ? script.resultVariable.trim() : '';
  if (!expression.startsWith('=') || !resultVariable) {
    problems.push({
      elementId: id,
      message:
        "a script task must have a 'zeebe:script' with an expression starting with '=' and a resultVariable",
    });
    return undefined;
  }
  checkExpression(id, 'script', expression.slice(1), problems);
  return { expression: expression.slice(1), resultVariable };
}

function validateFlows(
  elements: Record<string, ExecutableElement>,
  flows: Record<string, ExecutableSequenceFlow>,
  problems: ModelProblem[],
): void {
  for (const flow of Object.values(flows)) {
    const source = elements[flow.sourceId];
    if (!source) {
      problems.push({
        elementId: flow.id,
        message: `the source '${flow.sourceId}' is not an executable element`,
      });
    }
    if (!elements[flow.targetId]) {
      problems.push({
        elementId: flow.id,
        message: `the target '${flow.targetId}' is not an executable element`,
      });
    }
    if (flow.condition !== undefined && source && source.type !== 'EXCLUSIVE_GATEWAY') {
      problems.push({
        elementId: flow.id,
        message: `a condition is only allowed on a flow leaving an exclusive gateway, not a ${source.type}`,
      });
    }
  }
  for (const element of Object.values(elements)) {
    if (element.type === 'START_EVENT' && element.incoming.length > 0) {
      problems.push({
        elementId: element.id,
        message: 'a start event must not have incoming sequence flows',
      });
    }
    if (element.type === 'END_EVENT' && element.outgoing.length > 0) {
      problems.push({ elementId: element.id, message: 'an end event must not have outgoing sequence flows' });
    }
    if (element.defaultFlowId !== undefined && !element.outgoing.includes(element.defaultFlowId)) {
      problems.push({
        elementId: element.id,
        message: `the default flow '${element.defaultFlowId}' is not outgoing`,
      });
    }
    if (element.type === 'EXCLUSIVE_GATEWAY') {
      if (element.outgoing.length === 0) {
        problems.push({
          elementId: element.id,
          message: 'an exclusive gateway must have at least one outgoing flow',
        });
      }
      for (const flowId of element.outgoing) {
        const flow = flows[flowId];
        if (
          element.outgoing.length > 1 &&
          flow &&
          flow.condition === undefined &&
          flowId !== element.defaultFlowId
        ) {
          problems.push({
            elementId: flowId,
            message: `a flow leaving exclusive gateway '${element.id}' must have a condition or be the default flow`,
          });
        }
      }
    }
  }
}
