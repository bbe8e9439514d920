// Helpers that write Camunda 8 BPMN XML as Modeler does, without the diagram (Zeebe does not need one).

/** A sequence flow: from, to, and an optional FEEL condition; `id` when a gateway names it as its default. */
interface Flow {
  readonly from: string;
  readonly to: string;
  readonly when?: string;
  readonly id?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A `bpmn:definitions` document: root elements (messages, errors …) and processes. */
export const definitions = (...parts: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="conformance" targetNamespace="https://baton.dev/conformance">
${parts.join('\n')}
</bpmn:definitions>`;

/** Sequence flows through the given nodes, one after the other. */
export const chain = (...ids: string[]): Flow[] => ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));

/** An executable process from its flow nodes and sequence flows (ids f1, f2 … unless given). */
export function processOf(id: string, nodes: readonly string[], flows: readonly Flow[]): string {
  const sequenceFlows = flows.map((flow, i) => {
    const condition = flow.when
      ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escape(flow.when)}</bpmn:conditionExpression>`
      : '';
    return `<bpmn:sequenceFlow id="${flow.id ?? `${id}-f${i + 1}`}" sourceRef="${flow.from}" targetRef="${flow.to}">${condition}</bpmn:sequenceFlow>`;
  });
  return `<bpmn:process id="${id}" isExecutable="true">\n${[...nodes, ...sequenceFlows].join('\n')}\n</bpmn:process>`;
}

export const extensions = (...inner: string[]) =>
  inner.length ? `<bpmn:extensionElements>${inner.join('')}</bpmn:extensionElements>` : '';

/** `zeebe:ioMapping` from `[source, target]` pairs. */
export const io = (inputs: [string, string][], outputs: [string, string][] = []) =>
  `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${escape(s)}" target="${t}"/>`).join('')}${outputs
    .map(([s, t]) => `<zeebe:output source="${escape(s)}" target="${t}"/>`)
    .join('')}</zeebe:ioMapping>`;

export const start = (id = 'start', definition = '') =>
  `<bpmn:startEvent id="${id}">${definition}</bpmn:startEvent>`;
export const end = (id = 'end', definition = '') => `<bpmn:endEvent id="${id}">${definition}</bpmn:endEvent>`;

/** A service task creating jobs of `type`; `more` are further extension elements, `inner` child elements. */
export const serviceTask = (id: string, type: string, more: string[] = [], inner = '', attributes = '') =>
  `<bpmn:serviceTask id="${id}"${attributes}>${extensions(`<zeebe:taskDefinition type="${type}"/>`, ...more)}${inner}</bpmn:serviceTask>`;

/** A FEEL script task: `resultVariable := expression`. */
export const scriptTask = (id: string, expression: string, resultVariable: string, inner = '') =>
  `<bpmn:scriptTask id="${id}">${extensions(`<zeebe:script expression="${escape(expression)}" resultVariable="${resultVariable}"/>`)}${inner}</bpmn:scriptTask>`;

export const gateway = (kind: 'exclusive' | 'parallel' | 'inclusive', id: string, defaultFlow?: string) =>
  `<bpmn:${kind}Gateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''}/>`;

export const catchEvent = (id: string, definition: string) =>
  `<bpmn:intermediateCatchEvent id="${id}">${definition}</bpmn:intermediateCatchEvent>`;

export const throwEvent = (id: string, definition: string) =>
  `<bpmn:intermediateThrowEvent id="${id}">${definition}</bpmn:intermediateThrowEvent>`;

export const boundary = (id: string, attachedTo: string, definition: string, interrupting = true) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"${interrupting ? '' : ' cancelActivity="false"'}>${definition}</bpmn:boundaryEvent>`;

export const timer = (duration: string) =>
  `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

/** A multi-instance marker: `results` collects `outputElement` of each `item` of `items`. */
export const multiInstance = (sequential: boolean) =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}">${extensions(
    '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=r"/>',
  )}</bpmn:multiInstanceLoopCharacteristics>`;
