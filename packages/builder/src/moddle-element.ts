/**
 * A bpmn-moddle element as the builder hands it out: `$type` plus the element's properties. Declared here,
 * apart from the moddle instance, so that the published types never import `bpmn-moddle` (which ships no
 * declarations of its own): a consumer's `tsc` with `skipLibCheck: false` must not need it.
 */
export interface ModdleElement {
  readonly $type: string;
  [property: string]: unknown;
}
