import type { BpmnElementType, ElementOfType, ElementType } from '../model/executable.js';
import type { ElementKind } from './element-kind.js';
import type { ElementProcessor } from './element-processor.js';
import { processKind } from './containers/process.js';
import { subProcessKind } from './containers/sub-process.js';
import { eventSubProcessKind } from './containers/event-sub-process.js';
import { adHocSubProcessKind } from './containers/ad-hoc-sub-process.js';
import { adHocInnerInstanceKind } from './containers/ad-hoc-inner-instance.js';
import { multiInstanceBody } from './containers/multi-instance-body.js';
import { startEventKind } from './events/start-event.js';
import { endEventKind } from './events/end-event.js';
import { intermediateCatchEventKind } from './events/intermediate-catch-event.js';
import { intermediateThrowEventKind } from './events/intermediate-throw-event.js';
import { boundaryEventKind } from './events/boundary-event.js';
import { serviceTaskKind } from './tasks/service-task.js';
import { scriptTaskKind } from './tasks/script-task.js';
import { taskKind } from './tasks/task.js';
import { receiveTaskKind } from './tasks/receive-task.js';
import { userTaskKind } from './tasks/user-task.js';
import { businessRuleTaskKind } from './tasks/business-rule-task.js';
import { callActivityKind } from './tasks/call-activity.js';
import { exclusiveGatewayKind } from './gateways/exclusive-gateway.js';
import { inclusiveGatewayKind } from './gateways/inclusive-gateway.js';
import { parallelGatewayKind } from './gateways/parallel-gateway.js';
import { eventBasedGatewayKind } from './gateways/event-based-gateway.js';

/**
 * Every element kind: how it compiles, what it must satisfy, how it behaves. A kind without an entry (or an
 * entry of another kind's element type) fails to compile; a new kind is one module and one line here.
 */
export const ELEMENT_KINDS: { readonly [T in ElementType]: ElementKind<ElementOfType<T>> } = {
  PROCESS: processKind,
  SUB_PROCESS: subProcessKind,
  EVENT_SUB_PROCESS: eventSubProcessKind,
  AD_HOC_SUB_PROCESS: adHocSubProcessKind,
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: adHocInnerInstanceKind,
  START_EVENT: startEventKind,
  END_EVENT: endEventKind,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEventKind,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEventKind,
  BOUNDARY_EVENT: boundaryEventKind,
  SERVICE_TASK: serviceTaskKind,
  SEND_TASK: serviceTaskKind,
  SCRIPT_TASK: scriptTaskKind,
  TASK: taskKind,
  MANUAL_TASK: taskKind,
  RECEIVE_TASK: receiveTaskKind,
  USER_TASK: userTaskKind,
  BUSINESS_RULE_TASK: businessRuleTaskKind,
  CALL_ACTIVITY: callActivityKind,
  EXCLUSIVE_GATEWAY: exclusiveGatewayKind,
  INCLUSIVE_GATEWAY: inclusiveGatewayKind,
  PARALLEL_GATEWAY: parallelGatewayKind,
  EVENT_BASED_GATEWAY: eventBasedGatewayKind,
};

/** The kind of a compiled element type, seen through the common element type. */
export function elementKindOf(type: ElementType): ElementKind {
  // Each entry is the kind of its own type (checked above); a caller that holds any element sees any kind.
  return ELEMENT_KINDS[type];
}

/**
 * The processor of an element instance's `bpmnElementType`: the kind's, or for the body of a multi-instance
 * activity, the body's (it wraps the activity's element; the inner instances then run the activity's kind).
 */
export function processorOf(type: BpmnElementType): ElementProcessor {
  if (type === 'SEQUENCE_FLOW') throw new Error('a sequence flow has no element processor');
  if (type === 'MULTI_INSTANCE_BODY') return multiInstanceBody;
  return elementKindOf(type).processor;
}
