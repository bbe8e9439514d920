import type { NodeKind } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { endEventKind } from './end-event.js';
import { exclusiveGatewayKind } from './exclusive-gateway.js';
import { manualTaskKind } from './manual-task.js';
import { parallelGatewayKind } from './parallel-gateway.js';
import { scriptTaskKind } from './script-task.js';
import { serviceTaskKind } from './service-task.js';
import { startEventKind } from './start-event.js';
import { taskKind } from './task.js';

/** The rules of every node kind; a kind missing here fails to compile. */
export const elementKinds: Readonly<Record<NodeKind, ElementKind>> = {
  startEvent: startEventKind,
  endEvent: endEventKind,
  task: taskKind,
  manualTask: manualTaskKind,
  serviceTask: serviceTaskKind,
  scriptTask: scriptTaskKind,
  exclusiveGateway: exclusiveGatewayKind,
  parallelGateway: parallelGatewayKind,
};
