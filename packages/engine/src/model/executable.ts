/**
 * The executable graph a process compiles to. Plain data, JSON-compatible: it travels inside the
 * PROCESS CREATED event so that replay rebuilds state without parsing XML again.
 */
export type BpmnElementType =
  | 'PROCESS'
  | 'START_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'SCRIPT_TASK'
  | 'TASK'
  | 'MANUAL_TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'SEQUENCE_FLOW';

/** A FEEL expression (the text after "=") or a static value, as in Zeebe's extension attributes. */
export type ExpressionOrStatic =
  | { readonly kind: 'expression'; readonly expression: string }
  | { readonly kind: 'static'; readonly value: string };

export interface VariableMapping {
  /** A FEEL expression without the leading "=" (a static source is quoted into a string literal). */
  readonly source: string;
  /** A variable name, or a path `a.b.c` that builds nested contexts. */
  readonly target: string;
}

export interface ExecutableSequenceFlow {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** FEEL condition without the leading "="; absent for an unconditional flow. */
  readonly condition?: string;
}

export interface JobDefinition {
  readonly type: ExpressionOrStatic;
  readonly retries: ExpressionOrStatic;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ExecutableElement {
  readonly id: string;
  readonly name?: string;
  readonly type: BpmnElementType;
  /** Id of the enclosing container (the process or a sub-process). */
  readonly flowScopeId: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlowId?: string;
  readonly inputMappings: readonly VariableMapping[];
  readonly outputMappings: readonly VariableMapping[];
  readonly job?: JobDefinition;
  /** Script task: FEEL expression without "=", and the variable its result is stored in. */
  readonly script?: { readonly expression: string; readonly resultVariable: string };
  /** Container: the id of its none start event. */
  readonly noneStartEventId?: string;
}

export interface ExecutableProcess {
  readonly bpmnProcessId: string;
  readonly name?: string;
  readonly elements: Readonly<Record<string, ExecutableElement>>;
  readonly flows: Readonly<Record<string, ExecutableSequenceFlow>>;
}
