import type { ModdleObject } from 'bpmn-moddle';
import { moddle } from './moddle.js';

/** `definitions` serialised by bpmn-moddle (with its diagram interchange, if it has any). */
export async function toSemanticXml(definitions: ModdleObject): Promise<string> {
  return (await moddle.toXML(definitions, { format: true })).xml;
}
