import type { ModdleElement } from './moddle-element.js';

/** The most flow elements one BPMN resource may hold unless the engine is configured otherwise. */
export const DEFAULT_MAX_FLOW_ELEMENTS_PER_RESOURCE = 20_000;

/**
 * BPMN's flow elements (what processes and sub-processes contain): events, activities, gateways, sequence
 * flows, data objects and their references. Diagram shapes, lanes and artifacts are not counted.
 */
const FLOW_ELEMENTS: ReadonlySet<string> = new Set([
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
  'implicitThrowEvent',
  'task',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'userTask',
  'manualTask',
  'businessRuleTask',
  'scriptTask',
  'subProcess',
  'adHocSubProcess',
  'transaction',
  'callActivity',
  'exclusiveGateway',
  'inclusiveGateway',
  'parallelGateway',
  'eventBasedGateway',
  'complexGateway',
  'callChoreography',
  'choreographyTask',
  'subChoreography',
  'sequenceFlow',
  'dataObject',
  'dataObjectReference',
  'dataStoreReference',
]);

const NAME = /[A-Za-z_][\w.:-]*/y;

/**
 * Counts the start tags of flow elements in a BPMN text without parsing it: one pass, a few milliseconds for
 * megabytes, so an oversized model is refused before the parser spends seconds on it. Comments and CDATA
 * sections are skipped; any namespace prefix is accepted, so the count is never below the parser's.
 */
export function countFlowElementTags(xml: string): number {
  let count = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) break;
      i = xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end === -1) break;
      i = xml.indexOf('<', end + 3);
      continue;
    }
    NAME.lastIndex = i + 1;
    const name = NAME.exec(xml)?.[0];
    if (name !== undefined) {
      const local = name.slice(name.lastIndexOf(':') + 1);
      const next = xml.charCodeAt(i + 1 + name.length);
      // Followed by whitespace, '/' or '>': the whole name (not `<bpmn:taskFoo`), or the end of the text.
      const ends = Number.isNaN(next) || next === 0x2f || next === 0x3e || next <= 0x20;
      if (ends && FLOW_ELEMENTS.has(local)) count++;
    }
    i = xml.indexOf('<', i + 1);
  }
  return count;
}

/** The flow elements of every process in parsed definitions, those of nested sub-processes included. */
export function countFlowElements(definitions: ModdleElement): number {
  let count = 0;
  const containers = ((definitions.rootElements as ModdleElement[] | undefined) ?? []).filter(
    (e) => e.$type === 'bpmn:Process',
  );
  for (let i = 0; i < containers.length; i++) {
    const flowElements = (containers[i]!.flowElements as ModdleElement[] | undefined) ?? [];
    count += flowElements.length;
    for (const element of flowElements) if (Array.isArray(element.flowElements)) containers.push(element);
  }
  return count;
}

/** The refusal of a resource with too many flow elements: names the resource, the count and the limit. */
export function flowElementLimitMessage(resourceName: string, count: number, limit: number): string {
  return (
    `Expected resource '${resourceName}' to have at most ${limit} flow elements (events, activities, ` +
    `gateways, sequence flows), but it has ${count}; split the model (call activities) or raise the limit`
  );
}
