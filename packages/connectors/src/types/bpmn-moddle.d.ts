// bpmn-moddle ships types only under a subpath; this declares what the compiler uses.
declare module 'bpmn-moddle' {
  export interface ParseWarning {
    readonly message: string;
    readonly element?: { readonly id?: string };
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: unknown; warnings: ParseWarning[] }>;
  }
}
