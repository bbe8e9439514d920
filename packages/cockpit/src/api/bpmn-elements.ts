/** A flow node of a BPMN model, read from its XML (no rendering): what a migration can map an element to. */
export interface ModelElement {
  readonly id: string;
  /** The element's `name`, when it has one. */
  readonly name: string | undefined;
  /** The BPMN element as written, without prefix: userTask, serviceTask, endEvent … */
  readonly type: string;
}

const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
/** Tasks, events, gateways, sub-processes and call activities (not flows, event definitions, lanes …). */
const FLOW_NODE = /^(task|\w+Task|\w+Event|\w+Gateway|subProcess|adHocSubProcess|transaction|callActivity)$/;

/**
 * The flow nodes of process `bpmnProcessId` in a BPMN document (those of every process when it has no
 * process of that id), in document order, nested ones (in sub-processes) included. Malformed XML gives none.
 */
export function flowNodesOf(xml: string, bpmnProcessId: string): ModelElement[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return [];
  const processes = [...doc.getElementsByTagNameNS(BPMN, 'process')];
  const chosen = processes.filter((p) => p.getAttribute('id') === bpmnProcessId);
  const found: ModelElement[] = [];
  for (const process of chosen.length > 0 ? chosen : processes)
    for (const element of process.getElementsByTagNameNS(BPMN, '*')) {
      const id = element.getAttribute('id');
      if (!id || !FLOW_NODE.test(element.localName)) continue;
      found.push({ id, name: element.getAttribute('name') || undefined, type: element.localName });
    }
  return found;
}

/** "userTask" → "user task". */
export function elementTypeLabel(type: string): string {
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
