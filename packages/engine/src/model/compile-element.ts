import type {
  BpmnElementType,
  ExecutableElement,
  ExecutableSequenceFlow,
  JobDefinition,
} from './executable.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import { extensionOf, idsOf } from './moddle-element.js';
import { checkExpression, compileExpressionOrStatic, compileMappings } from './compile-expressions.js';
import { compileEventDefinition } from './compile-events.js';
import { compileAdHoc } from './compile-ad-hoc.js';

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

/** Compiles one flow node: mappings, job definition, script, event definition, boundary attachment. */
export function compileElement(
  element: ModdleElement,
  type: BpmnElementType,
  flowScopeId: string,
  problems: ModelProblem[],
): ExecutableElement {
  const id = element.id ?? '';
  const io = extensionOf(element, 'zeebe:IoMapping');
  const taskDefinition = extensionOf(element, 'zeebe:TaskDefinition');
  let eventDefinition = compileEventDefinition(element, problems);
  if (type === 'RECEIVE_TASK') eventDefinition = compileReceiveTaskMessage(element, problems);
  let job: JobDefinition | undefined;
  // (a job-based user task gets its job definition below, with the assignment headers evaluated at runtime)
  let script: ExecutableElement['script'];
  const isJobThrow =
    (type === 'INTERMEDIATE_THROW_EVENT' || type === 'END_EVENT') && eventDefinition?.kind === 'message';
  if (
    type === 'SERVICE_TASK' ||
    type === 'SEND_TASK' ||
    isJobThrow ||
    (type === 'SCRIPT_TASK' && taskDefinition)
  ) {
    job = compileJobDefinition(element, taskDefinition, problems);
  } else if (type === 'SCRIPT_TASK') {
    script = compileScript(element, problems);
  }
  // Elsewhere a zeebe:taskDefinition is ignored, as Zeebe's transformers ignore it (Modeler 5 left one on
  // job-based user tasks, whose job type is always io.camunda.zeebe:userTask).
  const interrupting =
    type === 'BOUNDARY_EVENT'
      ? element.cancelActivity !== false
      : type === 'START_EVENT'
        ? element.isInterrupting !== false
        : undefined;
  const calledElement = type === 'CALL_ACTIVITY' ? compileCalledElement(element, problems) : undefined;
  const multiInstance = compileMultiInstance(element, problems);
  const userTask = type === 'USER_TASK' ? compileUserTask(element, problems) : undefined;
  const startForm = type === 'START_EVENT' ? compileStartForm(element) : undefined;
  const adHoc = type === 'AD_HOC_SUB_PROCESS' ? compileAdHoc(element, problems) : undefined;
  const calledDecision =
    type === 'BUSINESS_RULE_TASK' && !taskDefinition ? compileCalledDecision(element, problems) : undefined;
  if ((type === 'BUSINESS_RULE_TASK' || type === 'AD_HOC_SUB_PROCESS') && taskDefinition)
    job = compileJobDefinition(element, taskDefinition, problems);
  if (userTask && !userTask.native)
    job = {
      type: { kind: 'static', value: 'io.camunda.zeebe:userTask' },
      retries: { kind: 'static', value: '1' },
      headers: {},
    };
  return {
    id,
    name: element.name,
    type,
    ...(calledElement ? { calledElement } : {}),
    ...(multiInstance ? { multiInstance } : {}),
    ...(userTask ? { userTask } : {}),
    ...(startForm ? { startForm } : {}),
    ...(adHoc ? { adHoc } : {}),
    ...(calledDecision ? { calledDecision } : {}),
    ...(element.isForCompensation === true ? { isForCompensation: true } : {}),
    flowScopeId,
    incoming: idsOf(element.incoming),
    outgoing: idsOf(element.outgoing),
    defaultFlowId: (element.default as ModdleElement | undefined)?.id,
    inputMappings: compileMappings(id, io?.inputParameters, 'input', problems),
    outputMappings: compileMappings(id, io?.outputParameters, 'output', problems),
    job,
    script,
    ...(eventDefinition ? { eventDefinition } : {}),
    ...(type === 'BOUNDARY_EVENT'
      ? { attachedToId: (element.attachedToRef as ModdleElement | undefined)?.id }
      : {}),
    ...(interrupting !== undefined ? { interrupting } : {}),
  };
}

function compileReceiveTaskMessage(element: ModdleElement, problems: ModelProblem[]) {
  const message = element.messageRef as ModdleElement | undefined;
  if (!message) {
    problems.push({ elementId: element.id, message: 'a receive task must reference a message' });
    return undefined;
  }
  // A receive task waits like a message catch event: reuse that compilation.
  return compileEventDefinition(
    {
      $type: 'bpmn:ReceiveTask',
      id: element.id,
      eventDefinitions: [{ $type: 'bpmn:MessageEventDefinition', messageRef: message }],
    },
    problems,
  );
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

function compileCalledElement(
  element: ModdleElement,
  problems: ModelProblem[],
): ExecutableElement['calledElement'] {
  const id = element.id ?? '';
  const called = extensionOf(element, 'zeebe:CalledElement');
  const processId = typeof called?.processId === 'string' ? called.processId.trim() : '';
  if (!processId) {
    problems.push({
      elementId: id,
      message: "a call activity must have a 'zeebe:calledElement' with a processId",
    });
    return undefined;
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
): ExecutableElement['multiInstance'] {
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

function compileUserTask(element: ModdleElement, problems: ModelProblem[]): ExecutableElement['userTask'] {
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
function compileStartForm(element: ModdleElement): ExecutableElement['startForm'] {
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
): NonNullable<NonNullable<ExecutableElement['userTask']>['form']> {
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

function compileCalledDecision(
  element: ModdleElement,
  problems: ModelProblem[],
): ExecutableElement['calledDecision'] {
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
    return undefined;
  }
  return { decisionId: compileExpressionOrStatic(id, 'decision id', decisionId, problems), resultVariable };
}
