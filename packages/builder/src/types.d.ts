// bpmn-moddle ships types only under a subpath and bpmn-auto-layout ships none; this declares what the builder uses.
declare module 'bpmn-moddle' {
  export interface ModdleObject {
    $type: string;
    $attrs: Record<string, string>;
    [property: string]: unknown;
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    create(type: string, properties?: Record<string, unknown>): ModdleObject;
    toXML(element: ModdleObject, options?: { format?: boolean }): Promise<{ xml: string }>;
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: ModdleObject; warnings: { message: string }[] }>;
  }
}

declare module 'bpmn-auto-layout' {
  /** Returns the XML with its diagram interchange replaced by a generated layout of the first process. */
  export function layoutProcess(xml: string): Promise<string>;
}
