import type {
  CalledDecisionDefinition,
  CalledElementDefinition,
  ElementType,
  ExecutableSequenceFlow,
  JobDefinition,
  LinkedFormDefinition,
  MultiInstanceDefinition,
  ScriptDefinition,
  StartFormDefinition,
  UserTaskDefinition,
} from './executable.js';
import type { CompiledBase } from '../bpmn/element-kind.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import { extensionOf, idsOf } from './moddle-element.js';
import { checkExpression, compileExpressionOrStatic, compileMappings } from './compile-expressions.js';

export function compileSequenceFlow(
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

/**
 * What every flow node has: its flows, variable mappings and multi-instance loop. The kind's own parts are
 * compiled by its `ElementKind.compile` (see `bpmn/element-kinds.ts`).
 */
export function compileCommon<T extends ElementType>(
  element: ModdleElement,
  type: T,
  flowScopeId: string,
  problems: ModelProblem[],
): CompiledBase<T> {
  const id = element.id ?? '';
  const io = extensionOf(element, 'zeebe:IoMapping');
  const multiInstance = compileMultiInstance(element, problems);
  const defaultFlowId = (element.default as ModdleElement | undefined)?.id;
  return {
    id,
    ...(element.name !== undefined ? { name: element.name } : {}),
    type,
    ...(multiInstance ? { multiInstance } : {}),
    ...(element.isForCompensation === true ? { isForCompensation: true } : {}),
    flowScopeId,
    incoming: idsOf(element.incoming),
    outgoing: idsOf(element.outgoing),
    ...(defaultFlowId !== undefined ? { defaultFlowId } : {}),
    inputMappings: compileMappings(id, io?.inputParameters, 'input', problems),
    outputMappings: compileMappings(id, io?.outputParameters, 'output', problems),
  };
}

/** The zeebe:taskDefinition of an element, if it has one (ignored by kinds that are never jobs, as in Zeebe). */
export function taskDefinitionOf(element: ModdleElement): ModdleElement | undefined {
  return extensionOf(element, 'zeebe:TaskDefinition');
}

/** The job of a job-based user task: its type is always io.camunda.zeebe:userTask, as in Zeebe. */
export const USER_TASK_JOB: JobDefinition = {
  type: { kind: 'static', value: 'io.camunda.zeebe:userTask' },
  retries: { kind: 'static', value: '1' },
  headers: {},
};

/**
 * A job worker task's `zeebe:taskDefinition`. Without a type a problem is recorded (the process is refused,
 * so the empty type returned then never runs).
 */
export function compileJobDefinition(
  element: ModdleElement,
  taskDefinition: ModdleElement | undefined,
  problems: ModelProblem[],
): JobDefinition {
  const id = element.id ?? '';
  const type = typeof taskDefinition?.type === 'string' ? taskDefinition.type.trim() : '';
  if (!type) {
    problems.push({
      elementId: id,
      message: "a job worker task must have a 'zeebe:taskDefinition' with a type",
    });
    return { type: { kind: 'static', value: '' }, retries: { kind: 'static', value: '3' }, headers: {} };
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

/** A script task's `zeebe:script`; without one a problem is recorded (and the process refused). */
export function compileScript(element: ModdleElement, problems: ModelProblem[]): ScriptDefinition {
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
    return { expression: '', resultVariable };
  }
  checkExpression(id, 'script', expression.slice(1), problems);
  return { expression: expression.slice(1), resultVariable };
}

/** A call activity's `zeebe:calledElement`; without a process id a problem is recorded (and the process refused). */
export function compileCalledElement(
  element: ModdleElement,
  problems: ModelProblem[],
): CalledElementDefinition {
  const id = element.id ?? '';
  const called = extensionOf(element, 'zeebe:CalledElement');
  const processId = typeof called?.processId === 'string' ? called.processId.trim() : '';
  if (!processId) {
    problems.push({
      elementId: id,
      message: "a call activity must have a 'zeebe:calledElement' with a processId",
    });
    return {
      processId: { kind: 'static', value: '' },
      propagateAllChildVariables: true,
      propagateAllParentVariables: true,
      binding: 'latest',
    };
  }
  const bindingType = called?.bindingType ?? 'latest';
  const tag = typeof called?.versionTag === 'string' ? called.versionTag.trim() : '';
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    problems.push({
      elementId: id,
      message: `binding type '${String(bindingType)}' is not supported (latest, deployment, versionTag)`,
    });
  } else if (bindingType === 'versionTag' && !tag) {
    problems.push({
      elementId: id,
      message: "binding type 'versionTag' needs the version tag to call ('zeebe:calledElement' versionTag)",
    });
  }
  const binding = bindingType === 'deployment' || bindingType === 'versionTag' ? bindingType : 'latest';
  return {
    processId: compileExpressionOrStatic(id, 'called process id', processId, problems),
    propagateAllChildVariables: called?.propagateAllChildVariables !== false,
    propagateAllParentVariables: called?.propagateAllParentVariables !== false,
    binding,
    ...(binding === 'versionTag' ? { versionTag: tag } : {}),
  };
}

function compileMultiInstance(
  element: ModdleElement,
  problems: ModelProblem[],
): MultiInstanceDefinition | undefined {
  const loop = element.loopCharacteristics as ModdleElement | undefined;
  if (!loop) return undefined;
  const id = element.id ?? '';
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    problems.push({
      elementId: id,
      message: `loop characteristics '${loop.$type}' are not supported (use multi-instance)`,
    });
    return undefined;
  }
  const zeebe = extensionOf(loop, 'zeebe:LoopCharacteristics');
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const inputCollection = text(zeebe?.inputCollection);
  if (!inputCollection?.startsWith('=')) {
    problems.push({
      elementId: id,
      message: "a multi-instance activity must have a 'zeebe:loopCharacteristics' inputCollection expression",
    });
    return undefined;
  }
  const expression = (what: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const feel = value.startsWith('=') ? value.slice(1) : JSON.stringify(value);
    checkExpression(id, what, feel, problems);
    return feel;
  };
  const completion = (loop.completionCondition as { body?: string } | undefined)?.body?.trim();
  const outputElement = text(zeebe?.outputElement);
  const outputCollection = text(zeebe?.outputCollection);
  if ((outputElement === undefined) !== (outputCollection === undefined)) {
    problems.push({ elementId: id, message: 'outputCollection and outputElement must be given together' });
  }
  return {
    sequential: loop.isSequential === true,
    inputCollection: expression('input collection', inputCollection)!,
    inputElement: text(zeebe?.inputElement),
    outputCollection,
    outputElement: expression('output element', outputElement),
    completionCondition: expression(
      'completion condition',
      completion && (completion.startsWith('=') ? completion : `=${completion}`),
    ),
  };
}

export function compileUserTask(element: ModdleElement, problems: ModelProblem[]): UserTaskDefinition {
  const id = element.id ?? '';
  const assignment = extensionOf(element, 'zeebe:AssignmentDefinition');
  const schedule = extensionOf(element, 'zeebe:TaskSchedule');
  const form = extensionOf(element, 'zeebe:FormDefinition');
  const priority = extensionOf(element, 'zeebe:PriorityDefinition');
  const optional = (what: string, value: unknown) =>
    typeof value === 'string' && value.trim() !== ''
      ? compileExpressionOrStatic(id, what, value.trim(), problems)
      : undefined;
  const formId = typeof form?.formId === 'string' ? form.formId.trim() : '';
  const formKey = [form?.formKey, form?.externalReference].find(
    (v) => typeof v === 'string' && v.trim() !== '',
  );
  return {
    native: extensionOf(element, 'zeebe:UserTask') !== undefined,
    assignee: optional('assignee', assignment?.assignee),
    candidateGroups: optional('candidate groups', assignment?.candidateGroups),
    candidateUsers: optional('candidate users', assignment?.candidateUsers),
    dueDate: optional('due date', schedule?.dueDate),
    followUpDate: optional('follow-up date', schedule?.followUpDate),
    priority: optional(
      'priority',
      typeof priority?.priority === 'number' ? String(priority.priority) : priority?.priority,
    ),
    formKey: !formId && typeof formKey === 'string' ? formKey.trim() : '',
    ...(formId ? { form: compileLinkedForm(id, formId, form!, problems) } : {}),
  };
}

/** A start event's `zeebe:formDefinition`: a linked form id, or an embedded form's / external key. */
export function compileStartForm(element: ModdleElement): StartFormDefinition | undefined {
  const form = extensionOf(element, 'zeebe:FormDefinition');
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const formId = text(form?.formId);
  const formKey = text(form?.formKey) ?? text(form?.externalReference);
  if (formId) return { formId };
  return formKey ? { formKey } : undefined;
}

/** `zeebe:formDefinition formId="…"` with its binding (`bindingType`, `versionTag`). */
function compileLinkedForm(
  id: string,
  formId: string,
  definition: ModdleElement,
  problems: ModelProblem[],
): LinkedFormDefinition {
  const bindingType = definition.bindingType ?? 'latest';
  const tag = typeof definition.versionTag === 'string' ? definition.versionTag.trim() : '';
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    problems.push({
      elementId: id,
      message: `form binding type '${String(bindingType)}' is not supported (latest, deployment, versionTag)`,
    });
  } else if (bindingType === 'versionTag' && !tag) {
    problems.push({
      elementId: id,
      message: "form binding type 'versionTag' needs the version tag ('zeebe:formDefinition' versionTag)",
    });
  }
  const binding = bindingType === 'deployment' || bindingType === 'versionTag' ? bindingType : 'latest';
  return {
    formId: compileExpressionOrStatic(id, 'form id', formId, problems),
    binding,
    ...(binding === 'versionTag' ? { versionTag: tag } : {}),
  };
}

/** A business rule task's `zeebe:calledDecision`; without one a problem is recorded (and the process refused). */
export function compileCalledDecision(
  element: ModdleElement,
  problems: ModelProblem[],
): CalledDecisionDefinition {
  const id = element.id ?? '';
  const called = extensionOf(element, 'zeebe:CalledDecision');
  const decisionId = typeof called?.decisionId === 'string' ? called.decisionId.trim() : '';
  const resultVariable = typeof called?.resultVariable === 'string' ? called.resultVariable.trim() : '';
  if (!decisionId || !resultVariable) {
    problems.push({
      elementId: id,
      message:
        "a business rule task needs a 'zeebe:calledDecision' with decisionId and resultVariable (or a zeebe:taskDefinition)",
    });
    return { decisionId: { kind: 'static', value: decisionId }, resultVariable };
  }
  return { decisionId: compileExpressionOrStatic(id, 'decision id', decisionId, problems), resultVariable };
}
