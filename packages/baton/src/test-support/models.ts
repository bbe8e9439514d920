/** Hand-written BPMN models shared by the engine's tests (builder output is tested separately). */
const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="http://baton.dev/test">`;

export function definitions(body: string): string {
  return `${HEAD}\n${body}\n</bpmn:definitions>`;
}

function serviceTask(id: string, type: string, incoming: string, outgoing: string, extra = ''): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="3"/>${extra}</bpmn:extensionElements><bpmn:incoming>${incoming}</bpmn:incoming><bpmn:outgoing>${outgoing}</bpmn:outgoing></bpmn:serviceTask>`;
}

function flow(id: string, source: string, target: string, condition?: string): string {
  const body = condition
    ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression>`
    : '';
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">${body}</bpmn:sequenceFlow>`;
}

/** start → a → b → c → end, each a service task of its own type. */
export function threeTasks(processId = 'three-tasks'): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
  ${serviceTask('a', 'task-a', 'f0', 'f1')}
  ${serviceTask('b', 'task-b', 'f1', 'f2')}
  ${serviceTask('c', 'task-c', 'f2', 'f3')}
  <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  ${flow('f0', 'start', 'a')}${flow('f1', 'a', 'b')}${flow('f2', 'b', 'c')}${flow('f3', 'c', 'end')}
</bpmn:process>`);
}

/** start → one service task of the given type (with optional extension XML) → end. */
export function oneTask(processId: string, type: string, extensions = ''): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
  ${serviceTask('task', type, 'f0', 'f1', extensions)}
  <bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
  ${flow('f0', 'start', 'task')}${flow('f1', 'task', 'end')}
</bpmn:process>`);
}

/** An exclusive gateway on `amount`: > 100 → "review" task, default → "auto" script; both end. */
export function exclusiveChoice(processId = 'choice'): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
  <bpmn:exclusiveGateway id="gw" default="fDefault"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>fBig</bpmn:outgoing><bpmn:outgoing>fDefault</bpmn:outgoing></bpmn:exclusiveGateway>
  ${serviceTask('review', 'review', 'fBig', 'f2')}
  <bpmn:scriptTask id="auto"><bpmn:extensionElements><zeebe:script expression="=amount * 2" resultVariable="doubled"/></bpmn:extensionElements><bpmn:incoming>fDefault</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:scriptTask>
  <bpmn:endEvent id="endReview"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  <bpmn:endEvent id="endAuto"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  ${flow('f0', 'start', 'gw')}${flow('fBig', 'gw', 'review', '=amount > 100')}${flow('fDefault', 'gw', 'auto')}
  ${flow('f2', 'review', 'endReview')}${flow('f3', 'auto', 'endAuto')}
</bpmn:process>`);
}

/** Parallel fork into two service tasks ("left", "right") and a join before the end. */
export function parallelForkJoin(processId = 'fork-join'): string {
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
  <bpmn:parallelGateway id="fork"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>fl</bpmn:outgoing><bpmn:outgoing>fr</bpmn:outgoing></bpmn:parallelGateway>
  ${serviceTask('left', 'left', 'fl', 'fl2')}
  ${serviceTask('right', 'right', 'fr', 'fr2')}
  <bpmn:parallelGateway id="join"><bpmn:incoming>fl2</bpmn:incoming><bpmn:incoming>fr2</bpmn:incoming><bpmn:outgoing>f9</bpmn:outgoing></bpmn:parallelGateway>
  <bpmn:endEvent id="end"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>
  ${flow('f0', 'start', 'fork')}${flow('fl', 'fork', 'left')}${flow('fr', 'fork', 'right')}
  ${flow('fl2', 'left', 'join')}${flow('fr2', 'right', 'join')}${flow('f9', 'join', 'end')}
</bpmn:process>`);
}
