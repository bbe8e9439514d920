import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/**
 * The one moddle instance the builder creates and serialises elements with. The zeebe descriptor
 * makes `zeebe:*` extension elements typed, so they serialise with the right names and attributes.
 */
export const moddle = new BpmnModdle({ zeebe });

/** `properties` without its `undefined` entries, so optional attributes are left out of the XML. */
export function defined(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}
