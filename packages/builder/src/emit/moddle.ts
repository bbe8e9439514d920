import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/**
 * The one moddle instance the builder creates and serialises elements with. The zeebe descriptor
 * makes `zeebe:*` extension elements typed, so they serialise with the right names and attributes.
 */
export const moddle = new BpmnModdle({ zeebe });

/** A bpmn-moddle element as the builder hands it out: `$type` plus the element's properties. */
export interface ModdleElement {
  readonly $type: string;
  [property: string]: unknown;
}

/** `properties` without its `undefined` entries, so optional attributes are left out of the XML. */
export function defined(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}
