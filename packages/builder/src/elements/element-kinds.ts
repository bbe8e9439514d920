import type { NodeKind, NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { boundaryEventKind } from './boundary-event.js';
import { businessRuleTaskKind } from './business-rule-task.js';
import { callActivityKind } from './call-activity.js';
import { endEventKind } from './end-event.js';
import { eventBasedGatewayKind } from './event-based-gateway.js';
import { eventSubProcessKind } from './event-sub-process.js';
import { exclusiveGatewayKind } from './exclusive-gateway.js';
import { inclusiveGatewayKind } from './inclusive-gateway.js';
import { intermediateCatchEventKind } from './intermediate-catch-event.js';
import { intermediateThrowEventKind } from './intermediate-throw-event.js';
import { manualTaskKind } from './manual-task.js';
import { parallelGatewayKind } from './parallel-gateway.js';
import { receiveTaskKind } from './receive-task.js';
import { scriptTaskKind } from './script-task.js';
import { sendTaskKind } from './send-task.js';
import { serviceTaskKind } from './service-task.js';
import { startEventKind } from './start-event.js';
import { subProcessKind } from './sub-process.js';
import { adHocSubProcessKind } from './ad-hoc-sub-process.js';
import { taskKind } from './task.js';
import { userTaskKind } from './user-task.js';

/** The rules of every node kind; a kind missing here fails to compile. */
export const elementKinds: Readonly<Record<NodeKind, ElementKind>> = {
  startEvent: startEventKind,
  endEvent: endEventKind,
  intermediateCatchEvent: intermediateCatchEventKind,
  intermediateThrowEvent: intermediateThrowEventKind,
  boundaryEvent: boundaryEventKind,
  task: taskKind,
  manualTask: manualTaskKind,
  serviceTask: serviceTaskKind,
  scriptTask: scriptTaskKind,
  sendTask: sendTaskKind,
  receiveTask: receiveTaskKind,
  userTask: userTaskKind,
  businessRuleTask: businessRuleTaskKind,
  callActivity: callActivityKind,
  subProcess: subProcessKind,
  adHocSubProcess: adHocSubProcessKind,
  eventSubProcess: eventSubProcessKind,
  exclusiveGateway: exclusiveGatewayKind,
  inclusiveGateway: inclusiveGatewayKind,
  parallelGateway: parallelGatewayKind,
  eventBasedGateway: eventBasedGatewayKind,
};

/**
 * The rules that apply to `node`: its kind's, refined by the node (a link catch event takes no
 * incoming flow) and by its role (a compensation handler takes no sequence flows at all).
 */
export function kindOf(node: NodeModel): ElementKind {
  const kind = elementKinds[node.kind];
  const refined = kind.rulesFor ? { ...kind, ...kind.rulesFor(node) } : kind;
  if (!node.isForCompensation) return refined;
  return { ...refined, acceptsIncoming: false, acceptsOutgoing: false, isEntryPoint: false };
}

/** How `node` is named in messages: "timer boundary event 'late'", "service task 'charge'". */
export function describeNode(node: NodeModel): string {
  const kind = elementKinds[node.kind];
  const definition = node.eventDefinition?.kind;
  const role = node.isForCompensation ? 'compensation handler ' : '';
  return `${role}${definition ? `${definition} ` : ''}${kind.description} '${node.id}'`;
}
