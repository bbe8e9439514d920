import type { VariableMapping } from '../model/extension-model.js';

/** Options every element accepts. */
export interface ElementOptions {
  /** The label shown in the diagram. */
  readonly name?: string;
}

/** Variable mappings of an element that has its own variable scope (tasks, sub-processes). */
export interface IoMappingOptions {
  /** Evaluated when the element is entered; each result is written to `target` in the element's scope. */
  readonly inputs?: readonly VariableMapping[];
  /** Evaluated when the element completes; each result is written to `target` in the parent scope. */
  readonly outputs?: readonly VariableMapping[];
}

/** Output mappings of an event that receives variables (catch, start and boundary events). */
export interface OutputMappingOptions {
  /** Evaluated when the event occurs; each result is written to `target` in the enclosing scope. */
  readonly outputs?: readonly VariableMapping[];
}

/**
 * Multi-instance loop characteristics: the activity runs once per element of `inputCollection`, in
 * parallel or one after another. FEEL fields get their leading `=` when it is missing.
 */
export interface MultiInstanceOptions {
  /** A FEEL expression giving the list to iterate over: `'= order.items'`. */
  readonly inputCollection: string;
  /** The variable each instance sees its element as. */
  readonly inputElement?: string;
  /** The variable the collected results are written to; needs `outputElement`. */
  readonly outputCollection?: string;
  /** A FEEL expression evaluated when an instance completes; its value goes into `outputCollection`. */
  readonly outputElement?: string;
  /** One instance after another instead of all at once (default false). */
  readonly sequential?: boolean;
  /** A FEEL condition checked after each instance; when true, the remaining ones are cancelled. */
  readonly completionCondition?: string;
}

/** Options every activity accepts. */
export interface ActivityOptions extends ElementOptions {
  /** Run the activity once per element of a collection. */
  readonly multiInstance?: MultiInstanceOptions;
}

/** A job for a worker: service and send tasks, message throw and end events, job-based rule tasks. */
export interface JobOptions {
  /** The job type workers subscribe to: a static name or a FEEL expression (`"= …"`). */
  readonly type: string;
  /** How often a failing job is retried before an incident: a count or a FEEL expression. Zeebe's default is 3. */
  readonly retries?: number | string;
  /** Static key/value pairs handed to the worker with every job, in this order. */
  readonly headers?: Readonly<Record<string, string>>;
}
