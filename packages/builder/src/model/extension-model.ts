/**
 * Zeebe extension elements as plain data, before any XML exists. Each variant maps to one
 * `zeebe:*` element (see emit/extension-elements.ts); new extensions (form, assignment, called
 * element, subscription …) are added as new variants there and here.
 */
export type ExtensionModel = TaskDefinitionModel | TaskHeadersModel | IoMappingModel | ScriptModel;

/** `<zeebe:taskDefinition type retries/>`: the job a worker picks up. */
export interface TaskDefinitionModel {
  readonly kind: 'taskDefinition';
  readonly type: string;
  readonly retries?: string;
}

/** `<zeebe:taskHeaders>`: static key/value pairs handed to the worker with every job. */
export interface TaskHeadersModel {
  readonly kind: 'taskHeaders';
  readonly headers: readonly { readonly key: string; readonly value: string }[];
}

/** `<zeebe:ioMapping>`: variables copied into the element's scope and back out of it. */
export interface IoMappingModel {
  readonly kind: 'ioMapping';
  readonly inputs: readonly VariableMapping[];
  readonly outputs: readonly VariableMapping[];
}

/** `<zeebe:script expression resultVariable/>`: a FEEL script task. */
export interface ScriptModel {
  readonly kind: 'script';
  readonly expression: string;
  readonly resultVariable: string;
}

/**
 * One `<zeebe:input>` or `<zeebe:output>`. `source` is usually a FEEL expression (`"= order.total"`);
 * `target` is the variable (or `a.b` path) it is written to.
 */
export interface VariableMapping {
  readonly source: string;
  readonly target: string;
}
