import type { ModdleObject } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';
import { moddle } from './moddle.js';

/** `definitions` serialised by bpmn-moddle, without diagram interchange. */
export async function toSemanticXml(definitions: ModdleObject): Promise<string> {
  return (await moddle.toXML(definitions, { format: true })).xml;
}

/**
 * `definitions` serialised with a generated diagram. bpmn-auto-layout takes XML, not a moddle tree:
 * it re-reads it with a plain BpmnModdle (no zeebe descriptor), keeps unknown `zeebe:*` elements and
 * attributes as generic elements, adds BPMNShape/BPMNEdge for the first process and writes it back.
 * layout.test.ts proves the semantic part survives byte for byte.
 */
export async function toLaidOutXml(definitions: ModdleObject): Promise<string> {
  return layoutProcess(await toSemanticXml(definitions));
}
