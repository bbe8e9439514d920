import { createProcess } from '@baton-engine/baton';

/** start → one service task of `type` → end, built with the builder. */
export const oneTask = (id: string, type: string) =>
  createProcess(id).startEvent().serviceTask('work', { type }).endEvent().toXml();

/** start → three service tasks (task-a, task-b, task-c) → end. */
export const threeTasks = (id: string) =>
  createProcess(id)
    .startEvent()
    .serviceTask('a', { type: 'task-a' })
    .serviceTask('b', { type: 'task-b' })
    .serviceTask('c', { type: 'task-c' })
    .endEvent()
    .toXml();

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">`;

/** Waits for message `paid` correlated by `orderId`. */
export const messageCatch = `${HEAD}
<bpmn:message id="m" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
<bpmn:process id="msg" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="c"/><bpmn:sequenceFlow id="f2" sourceRef="c" targetRef="e"/></bpmn:process></bpmn:definitions>`;

/** Waits for signal `go`. */
export const signalCatch = `${HEAD}
<bpmn:signal id="g" name="go"/>
<bpmn:process id="sig" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c"><bpmn:signalEventDefinition signalRef="g"/></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="c"/><bpmn:sequenceFlow id="f2" sourceRef="c" targetRef="e"/></bpmn:process></bpmn:definitions>`;

/** A `charge` job with an error boundary for code DECLINED. */
export const errorBoundary = `${HEAD}
<bpmn:error id="err" errorCode="DECLINED"/>
<bpmn:process id="errors" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:serviceTask id="charge"><bpmn:extensionElements><zeebe:taskDefinition type="charge"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:boundaryEvent id="declined" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
<bpmn:endEvent id="paid"/><bpmn:endEvent id="failed"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="charge"/><bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="paid"/><bpmn:sequenceFlow id="f3" sourceRef="declined" targetRef="failed"/></bpmn:process></bpmn:definitions>`;

/** Waits one hour on a timer, then ends. */
export const hourTimer = `${HEAD}
<bpmn:process id="hour" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait"/><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e"/></bpmn:process></bpmn:definitions>`;
