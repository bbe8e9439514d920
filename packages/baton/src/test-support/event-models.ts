/**
 * A compact way to write BPMN test models with events: each helper returns the XML of one element (and the
 * root elements it needs, like messages and signals); `model` assembles a deployable resource.
 */
export interface Part {
  readonly xml: string;
  readonly roots?: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function model(processId: string, parts: readonly Part[]): string {
  const roots = [...new Set(parts.map((p) => p.roots ?? '').filter(Boolean))].join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="http://baton.dev/test">
${roots}
<bpmn:process id="${processId}" isExecutable="true">
${parts.map((p) => p.xml).join('\n')}
</bpmn:process>
</bpmn:definitions>`;
}

export type EventDef =
  | { timer: 'duration' | 'date' | 'cycle'; value: string }
  | { message: string; key?: string }
  | { signal: string }
  | { error?: string }
  | { escalation?: string }
  | { terminate: true }
  | { link: string }
  | { compensation: true; activityRef?: string };

function definition(def: EventDef | undefined): Part {
  if (!def) return { xml: '' };
  if ('timer' in def) {
    const tag = def.timer === 'duration' ? 'timeDuration' : def.timer === 'date' ? 'timeDate' : 'timeCycle';
    return {
      xml: `<bpmn:timerEventDefinition><bpmn:${tag} xsi:type="bpmn:tFormalExpression">${esc(def.value)}</bpmn:${tag}></bpmn:timerEventDefinition>`,
    };
  }
  if ('message' in def) {
    const id = `msg-${def.message.replace(/\W/g, '_')}`;
    const sub = def.key
      ? `<bpmn:extensionElements><zeebe:subscription correlationKey="${esc(def.key)}"/></bpmn:extensionElements>`
      : '';
    return {
      xml: `<bpmn:messageEventDefinition messageRef="${id}"/>`,
      roots: `<bpmn:message id="${id}" name="${esc(def.message)}">${sub}</bpmn:message>`,
    };
  }
  if ('signal' in def) {
    const id = `sig-${def.signal.replace(/\W/g, '_')}`;
    return {
      xml: `<bpmn:signalEventDefinition signalRef="${id}"/>`,
      roots: `<bpmn:signal id="${id}" name="${esc(def.signal)}"/>`,
    };
  }
  if ('error' in def) {
    if (!def.error) return { xml: '<bpmn:errorEventDefinition/>' };
    const id = `err-${def.error.replace(/\W/g, '_')}`;
    return {
      xml: `<bpmn:errorEventDefinition errorRef="${id}"/>`,
      roots: `<bpmn:error id="${id}" errorCode="${esc(def.error)}"/>`,
    };
  }
  if ('escalation' in def) {
    if (!def.escalation) return { xml: '<bpmn:escalationEventDefinition/>' };
    const id = `esc-${def.escalation.replace(/\W/g, '_')}`;
    return {
      xml: `<bpmn:escalationEventDefinition escalationRef="${id}"/>`,
      roots: `<bpmn:escalation id="${id}" escalationCode="${esc(def.escalation)}"/>`,
    };
  }
  if ('terminate' in def) return { xml: '<bpmn:terminateEventDefinition/>' };
  if ('link' in def) return { xml: `<bpmn:linkEventDefinition name="${esc(def.link)}"/>` };
  if ('compensation' in def) {
    return {
      xml: `<bpmn:compensateEventDefinition${def.activityRef ? ` activityRef="${def.activityRef}"` : ''}/>`,
    };
  }
  return { xml: '' };
}

const withDef = (open: string, close: string, def?: EventDef, inner = ''): Part => {
  const d = definition(def);
  return { xml: `${open}${inner}${d.xml}${close}`, roots: d.roots };
};

export const start = (id: string, def?: EventDef, opts: { interrupting?: boolean } = {}) =>
  withDef(
    `<bpmn:startEvent id="${id}"${opts.interrupting === false ? ' isInterrupting="false"' : ''}>`,
    '</bpmn:startEvent>',
    def,
  );
export const end = (id: string, def?: EventDef) =>
  withDef(`<bpmn:endEvent id="${id}">`, '</bpmn:endEvent>', def);
export const catchEvent = (id: string, def: EventDef, outputs = '') =>
  withDef(
    `<bpmn:intermediateCatchEvent id="${id}">`,
    '</bpmn:intermediateCatchEvent>',
    def,
    outputs ? ioMapping('', outputs) : '',
  );
export const throwEvent = (id: string, def?: EventDef) =>
  withDef(`<bpmn:intermediateThrowEvent id="${id}">`, '</bpmn:intermediateThrowEvent>', def);
export const boundary = (
  id: string,
  attachedTo: string,
  def: EventDef,
  opts: { interrupting?: boolean } = {},
) =>
  withDef(
    `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"${opts.interrupting === false ? ' cancelActivity="false"' : ''}>`,
    '</bpmn:boundaryEvent>',
    def,
  );
export const serviceTask = (id: string, type: string): Part => ({
  xml: `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${esc(type)}"/></bpmn:extensionElements></bpmn:serviceTask>`,
});
export const receiveTask = (id: string, message: string, key: string): Part => {
  const d = definition({ message, key });
  const ref = /messageRef="([^"]+)"/.exec(d.xml)![1];
  return { xml: `<bpmn:receiveTask id="${id}" messageRef="${ref}"/>`, roots: d.roots };
};
export const task = (id: string): Part => ({ xml: `<bpmn:task id="${id}"/>` });
export const parallel = (id: string): Part => ({ xml: `<bpmn:parallelGateway id="${id}"/>` });
export const inclusive = (id: string, defaultFlow?: string): Part => ({
  xml: `<bpmn:inclusiveGateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''}/>`,
});
/** A sequence flow with a FEEL condition (without the leading "="). */
export const conditional = (
  source: string,
  target: string,
  condition: string,
  id = `${source}-${target}`,
): Part => ({
  xml: `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${esc(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
});
export const eventGateway = (id: string): Part => ({ xml: `<bpmn:eventBasedGateway id="${id}"/>` });
export const flow = (source: string, target: string, id = `${source}-${target}`): Part => ({
  xml: `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`,
});
export const subProcess = (
  id: string,
  parts: readonly Part[],
  opts: { triggeredByEvent?: boolean } = {},
): Part => ({
  xml: `<bpmn:subProcess id="${id}"${opts.triggeredByEvent ? ' triggeredByEvent="true"' : ''}>${parts.map((p) => p.xml).join('')}</bpmn:subProcess>`,
  roots: parts
    .map((p) => p.roots ?? '')
    .filter(Boolean)
    .join('\n'),
});

/** `<zeebe:ioMapping>` with inputs and outputs given as `target=source` pairs separated by `;`. */
export function ioMapping(inputs: string, outputs: string): string {
  const pairs = (text: string, tag: string) =>
    text
      .split(';')
      .filter(Boolean)
      .map((pair) => {
        const [target, ...source] = pair.split('=');
        return `<zeebe:${tag} source="=${esc(source.join('='))}" target="${target!.trim()}"/>`;
      })
      .join('');
  return `<bpmn:extensionElements><zeebe:ioMapping>${pairs(inputs, 'input')}${pairs(outputs, 'output')}</zeebe:ioMapping></bpmn:extensionElements>`;
}

/** Flows along a chain of element ids. */
export function chain(...ids: string[]): Part[] {
  return ids.slice(1).map((id, i) => flow(ids[i]!, id));
}

/** A call activity of `processId`, with optional `zeebe:calledElement` attributes. */
export const callActivity = (id: string, processId: string, attributes = ''): Part => ({
  xml: `<bpmn:callActivity id="${id}"><bpmn:extensionElements><zeebe:calledElement processId="${esc(processId)}" ${attributes}/></bpmn:extensionElements></bpmn:callActivity>`,
});

/** A service task with multi-instance loop characteristics (`zeebe:loopCharacteristics` attributes given raw). */
export const multiTask = (
  id: string,
  type: string,
  loop: string,
  opts: { sequential?: boolean; completion?: string } = {},
): Part => ({
  xml: `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${esc(type)}"/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics${opts.sequential ? ' isSequential="true"' : ''}><bpmn:extensionElements><zeebe:loopCharacteristics ${loop}/></bpmn:extensionElements>${opts.completion ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=${esc(opts.completion)}</bpmn:completionCondition>` : ''}</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
});

/** A user task; `extensions` is raw zeebe XML (e.g. `<zeebe:userTask/><zeebe:assignmentDefinition …/>`). */
export const userTask = (id: string, extensions: string): Part => ({
  xml: `<bpmn:userTask id="${id}"><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:userTask>`,
});

/** An activity with a compensation boundary event associated with its handler (a service task of `handlerType`). */
export function compensable(id: string, type: string, handlerType: string): Part[] {
  return [
    serviceTask(id, type),
    boundary(`undo-${id}`, id, { compensation: true }),
    {
      xml: `<bpmn:serviceTask id="handle-${id}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="${esc(handlerType)}"/></bpmn:extensionElements></bpmn:serviceTask>`,
    },
    { xml: `<bpmn:association id="assoc-${id}" sourceRef="undo-${id}" targetRef="handle-${id}"/>` },
  ];
}
