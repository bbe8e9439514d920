/** The parts of a bpmn-moddle element the compiler reads; moddle objects carry more. */
export interface ModdleElement {
  readonly $type: string;
  readonly id?: string;
  readonly name?: string;
  readonly [property: string]: unknown;
}

/** The extension elements of a moddle element, e.g. `zeebe:TaskDefinition`. */
export function extensionsOf(element: ModdleElement): ModdleElement[] {
  const ext = element.extensionElements as { values?: ModdleElement[] } | undefined;
  return ext?.values ?? [];
}

export function extensionOf(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensionsOf(element).find((e) => e.$type === type);
}

export function idsOf(refs: unknown): string[] {
  return Array.isArray(refs) ? (refs as ModdleElement[]).map((r) => r.id ?? '') : [];
}
