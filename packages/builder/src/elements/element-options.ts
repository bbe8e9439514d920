import type { VariableMapping } from '../model/extension-model.js';

/** Options every element accepts. */
export interface ElementOptions {
  /** The label shown in the diagram. */
  readonly name?: string;
}

/** Variable mappings of an element that has its own variable scope (tasks, later sub-processes). */
export interface IoMappingOptions {
  /** Evaluated when the element is entered; each result is written to `target` in the element's scope. */
  readonly inputs?: readonly VariableMapping[];
  /** Evaluated when the element completes; each result is written to `target` in the parent scope. */
  readonly outputs?: readonly VariableMapping[];
}
