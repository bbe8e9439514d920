import type { ProcessingContext } from '../../processing/processing-context.js';
import type { BpmnElementType, ExecutableElement, ExecutableProcess } from '../../model/executable.js';
import type { ProcessInstanceCreationStartInstruction } from '../../records/process-instance-creation.js';
import type { ElementContext } from '../../bpmn/element-context.js';
import { transition } from '../../bpmn/behaviors/transitions.js';
import { activateContainer } from '../../bpmn/behaviors/container.js';
import { activateElementIn, createScopes } from '../../bpmn/behaviors/activate-within.js';

/**
 * Which element kinds an instance can start before, as in Zeebe (start events, sequence flows and boundary
 * events cannot). The process itself cannot either: it is always there. A new kind must be decided here.
 */
const START_TARGET: Readonly<Record<BpmnElementType, boolean>> = {
  PROCESS: false,
  START_EVENT: false,
  SEQUENCE_FLOW: false,
  BOUNDARY_EVENT: false,
  END_EVENT: true,
  SERVICE_TASK: true,
  SCRIPT_TASK: true,
  TASK: true,
  MANUAL_TASK: true,
  RECEIVE_TASK: true,
  SEND_TASK: true,
  USER_TASK: true,
  BUSINESS_RULE_TASK: true,
  CALL_ACTIVITY: true,
  EXCLUSIVE_GATEWAY: true,
  INCLUSIVE_GATEWAY: true,
  PARALLEL_GATEWAY: true,
  EVENT_BASED_GATEWAY: true,
  INTERMEDIATE_CATCH_EVENT: true,
  INTERMEDIATE_THROW_EVENT: true,
  SUB_PROCESS: true,
  EVENT_SUB_PROCESS: true,
  MULTI_INSTANCE_BODY: true,
  AD_HOC_SUB_PROCESS: true,
  // Its inner instances exist only inside a running ad-hoc sub-process (elements in it are refused anyway).
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: false,
};

/** The flow scopes a start instruction can create on the way to its element. */
const CREATABLE_SCOPES: ReadonlySet<BpmnElementType> = new Set(['SUB_PROCESS', 'EVENT_SUB_PROCESS']);

const PREFIX = 'Expected to create instance of process with start instructions but';

/**
 * Why the start instructions cannot start an instance of `process`, in Zeebe's words; undefined when they
 * can. Each check runs over all instructions before the next, as in Zeebe, so that the same command gets the
 * same reason.
 */
export function startInstructionsProblem(
  process: ExecutableProcess,
  instructions: readonly ProcessInstanceCreationStartInstruction[],
): string | undefined {
  const ids = instructions.map((i) => i.elementId);
  const typeOf = (id: string): BpmnElementType | undefined =>
    process.elements[id]?.type ?? (process.flows[id] ? 'SEQUENCE_FLOW' : undefined);
  const unknown = ids.find((id) => typeOf(id) === undefined);
  if (unknown !== undefined) return `${PREFIX} no element found with id '${unknown}'.`;
  const inMultiInstance = ids.find((id) => flowScopesOf(process, id).some((s) => s.multiInstance));
  if (inMultiInstance !== undefined) {
    return `${PREFIX} the element with id '${inMultiInstance}' is inside a multi-instance subprocess. The creation of elements inside a multi-instance subprocess is not supported.`;
  }
  // Compared as a string: the ad-hoc sub-process kind is not in every version of BpmnElementType.
  const inAdHoc = ids.find((id) => flowScopesOf(process, id).some((s) => s.type === 'AD_HOC_SUB_PROCESS'));
  if (inAdHoc !== undefined) {
    return `${PREFIX} the element with id '${inAdHoc}' is inside an ad-hoc subprocess. The creation of elements inside an ad-hoc subprocess is not supported.`;
  }
  const unsupported = ids.find((id) => !START_TARGET[typeOf(id)!]);
  if (unsupported !== undefined) {
    const supported = Object.keys(START_TARGET).filter((t) => START_TARGET[t as BpmnElementType]);
    return `${PREFIX} the element with id '${unsupported}' targets unsupported element type '${typeOf(unsupported)}'. Supported element types are: [${supported.join(', ')}]`;
  }
  const afterEventGateway = ids.find((id) =>
    process.elements[id]!.incoming.some(
      (f) => process.elements[process.flows[f]?.sourceId ?? '']?.type === 'EVENT_BASED_GATEWAY',
    ),
  );
  if (afterEventGateway !== undefined) {
    return `${PREFIX} the element with id '${afterEventGateway}' belongs to an event-based gateway. The creation of elements belonging to an event-based gateway is not supported.`;
  }
  for (const id of ids) {
    const scope = flowScopesOf(process, id).find((s) => !CREATABLE_SCOPES.has(s.type));
    if (scope) {
      return `${PREFIX} the element with id '${id}' is inside '${scope.id}' (${scope.type}), which a start instruction cannot create.`;
    }
  }
  return undefined;
}

/**
 * Activates the new process instance without its start event, then each instruction's element, creating its
 * enclosing sub-processes first (once for all instructions that share them). The process and created
 * sub-processes open their event subscriptions; an incident there stops the start of what is inside.
 */
export function startAtInstructions(
  ctx: ProcessingContext,
  processEl: ElementContext,
  instructions: readonly ProcessInstanceCreationStartInstruction[],
): void {
  transition(ctx, processEl, 'ELEMENT_ACTIVATING');
  activateContainer(ctx, processEl, undefined);
  if (ctx.state.elementInstance(processEl.key)?.state !== 'ELEMENT_ACTIVATED') return;
  const created = new Map<string, ElementContext>();
  for (const { elementId } of instructions) {
    const element = processEl.process.elements[elementId]!;
    const missing = flowScopesOf(processEl.process, elementId).reverse();
    const scope = createScopes(ctx, { parent: processEl, missing }, created);
    if (scope) activateElementIn(ctx, scope, element);
  }
}

/** The flow scopes of an element below the process, innermost first. */
function flowScopesOf(process: ExecutableProcess, elementId: string): ExecutableElement[] {
  const scopes: ExecutableElement[] = [];
  let scope = process.elements[process.elements[elementId]?.flowScopeId ?? ''];
  while (scope && scope.type !== 'PROCESS') {
    scopes.push(scope);
    scope = process.elements[scope.flowScopeId];
  }
  return scopes;
}
