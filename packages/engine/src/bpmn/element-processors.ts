import type { BpmnElementType } from '../model/executable.js';
import type { ElementProcessor } from './element-processor.js';
import { processContainer } from './containers/process.js';
import { startEvent } from './events/start-event.js';
import { endEvent } from './events/end-event.js';
import { serviceTask } from './tasks/service-task.js';
import { scriptTask } from './tasks/script-task.js';
import { task } from './tasks/task.js';
import { exclusiveGateway } from './gateways/exclusive-gateway.js';
import { parallelGateway } from './gateways/parallel-gateway.js';
import { eventBasedGateway } from './gateways/event-based-gateway.js';
import { inclusiveGateway } from './gateways/inclusive-gateway.js';
import { receiveTask } from './tasks/receive-task.js';
import { callActivity } from './tasks/call-activity.js';
import { userTask } from './tasks/user-task.js';
import { businessRuleTask } from './tasks/business-rule-task.js';
import { intermediateCatchEvent } from './events/intermediate-catch-event.js';
import { intermediateThrowEvent } from './events/intermediate-throw-event.js';
import { boundaryEvent } from './events/boundary-event.js';
import { subProcess } from './containers/sub-process.js';
import { eventSubProcess } from './containers/event-sub-process.js';
import { multiInstanceBody } from './containers/multi-instance-body.js';
import { adHocSubProcess } from './containers/ad-hoc-sub-process.js';
import { adHocInnerInstance } from './containers/ad-hoc-inner-instance.js';

/** The behaviour of every element kind; a kind without an entry fails to compile. */
const PROCESSORS: Record<Exclude<BpmnElementType, 'SEQUENCE_FLOW'>, ElementProcessor> = {
  PROCESS: processContainer,
  START_EVENT: startEvent,
  END_EVENT: endEvent,
  SERVICE_TASK: serviceTask,
  SCRIPT_TASK: scriptTask,
  TASK: task,
  MANUAL_TASK: task,
  EXCLUSIVE_GATEWAY: exclusiveGateway,
  PARALLEL_GATEWAY: parallelGateway,
  EVENT_BASED_GATEWAY: eventBasedGateway,
  INCLUSIVE_GATEWAY: inclusiveGateway,
  RECEIVE_TASK: receiveTask,
  CALL_ACTIVITY: callActivity,
  USER_TASK: userTask,
  BUSINESS_RULE_TASK: businessRuleTask,
  SEND_TASK: serviceTask,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEvent,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEvent,
  BOUNDARY_EVENT: boundaryEvent,
  SUB_PROCESS: subProcess,
  EVENT_SUB_PROCESS: eventSubProcess,
  MULTI_INSTANCE_BODY: multiInstanceBody,
  AD_HOC_SUB_PROCESS: adHocSubProcess,
  AD_HOC_SUB_PROCESS_INNER_INSTANCE: adHocInnerInstance,
};

export function processorOf(type: BpmnElementType): ElementProcessor {
  if (type === 'SEQUENCE_FLOW') throw new Error('a sequence flow has no element processor');
  return PROCESSORS[type];
}
