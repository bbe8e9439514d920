/** DMN hit policies of decision tables (COLLECT may aggregate). */
export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

export interface DecisionTable {
  readonly kind: 'table';
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: 'SUM' | 'MIN' | 'MAX' | 'COUNT';
  /** FEEL expressions evaluated against the variables. */
  readonly inputs: readonly { readonly id: string; readonly expression: string; readonly label?: string }[];
  /** Output ids, names and labels, and (for PRIORITY / OUTPUT ORDER) their allowed values in priority order. */
  readonly outputs: readonly {
    readonly id: string;
    readonly name: string;
    readonly label?: string;
    readonly priorities?: readonly string[];
  }[];
  /** Per rule: unary tests per input ("-" matches anything), FEEL expressions per output. */
  readonly rules: readonly {
    readonly id: string;
    readonly inputEntries: readonly string[];
    readonly outputEntries: readonly string[];
  }[];
}

export interface LiteralExpression {
  readonly kind: 'literal';
  readonly expression: string;
}

/** One decision of a decision requirements graph, compiled to plain data. */
export interface ExecutableDecision {
  readonly id: string;
  readonly name: string;
  /** Decisions whose results this one reads (by their ids, as variables). */
  readonly requiredDecisions: readonly string[];
  readonly logic: DecisionTable | LiteralExpression;
}

/** A DMN resource: its decisions, evaluated together. */
export interface ExecutableDrg {
  readonly id: string;
  readonly name: string;
  readonly decisions: Readonly<Record<string, ExecutableDecision>>;
}
