import type {
  EventDefinition,
  ExecutableElement,
  ExecutableSequenceFlow,
  MultiInstanceDefinition,
  VariableMapping,
} from '../model/executable.js';
import type { ModelProblem } from '../model/deployment-error.js';
import type { ModdleElement } from '../model/moddle-element.js';
import type { ElementProcessor } from './element-processor.js';

/** What the compiler reads for every element, whatever its kind; a kind's `compile` adds its own parts. */
export interface CompiledBase<T extends ExecutableElement['type']> {
  readonly id: string;
  readonly name?: string;
  readonly type: T;
  readonly flowScopeId: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlowId?: string;
  readonly inputMappings: readonly VariableMapping[];
  readonly outputMappings: readonly VariableMapping[];
  readonly multiInstance?: MultiInstanceDefinition;
  readonly isForCompensation?: boolean;
}

/** The compiled process as the validation rules of one kind look at it (indexes built once per process). */
export interface ProcessView {
  readonly elements: Readonly<Record<string, ExecutableElement>>;
  readonly flows: Readonly<Record<string, ExecutableSequenceFlow>>;
  /** The elements whose flow scope is the given element. */
  childrenOf(scopeId: string): readonly ExecutableElement[];
  /** How many link catch events of that name the scope has. */
  linkCatches(scopeId: string, linkName: string): number;
  /** True for an activity: it may be multi-instance and carry boundary events. */
  isActivity(element: ExecutableElement): boolean;
}

/** The event definitions an element may carry (`none`: an element without one). */
export type EventDefinitionKind = EventDefinition['kind'] | 'none';

/**
 * One BPMN element kind, in one place: how it compiles from the BPMN XML, the rules it must follow, and its
 * behaviour at runtime (the way Zeebe pairs a transformer, an executable element and a processor per kind).
 * Every kind is registered in `element-kinds.ts`; a kind without an entry fails to compile.
 */
export interface ElementKind<E extends ExecutableElement = ExecutableElement> {
  /**
   * Reads the kind's own parts from the moddle element; problems name the element. Absent for the kinds the
   * compiler builds itself (the process, the inner instance of an ad-hoc sub-process).
   */
  compile?(source: ModdleElement, base: CompiledBase<E['type']>, problems: ModelProblem[]): E;
  /** Checks the rules of this kind inside its process; `problem` records one (for this element by default). */
  validate?(element: E, process: ProcessView, problem: ReportProblem): void;
  readonly processor: ElementProcessor<E>;
  /** Activities may be multi-instance, carry boundary events and be compensated. */
  readonly activity: boolean;
  /** Events: the event definitions this kind supports (Camunda 8's coverage); others are refused. */
  readonly eventDefinitions?: readonly EventDefinitionKind[];
}

/** A kind that adds nothing to the common parts (tasks without configuration, most gateways). */
export function compileBase<T extends ExecutableElement['type']>(
  _source: ModdleElement,
  base: CompiledBase<T>,
): CompiledBase<T> {
  return base;
}

/** Records a validation problem of the element being checked, or of another id it names (a flow). */
export type ReportProblem = (message: string, elementId?: string) => void;
