import type { ProcessingContext } from '../processing/processing-context.js';
import type { ExecutableElement } from '../model/executable.js';
import type { ElementContext } from './element-context.js';

/**
 * The behaviour of one BPMN element kind across the element lifecycle
 * `ACTIVATING → ACTIVATED → COMPLETING → COMPLETED` (or `TERMINATING → TERMINATED`).
 * The lifecycle processor writes ACTIVATING, COMPLETING and TERMINATING before calling the hooks. `E` is the
 * compiled element the hooks see: a processor of one kind reads that kind's parts without assertions.
 */
export interface ElementProcessor<E extends ExecutableElement = ExecutableElement> {
  /**
   * The element is ACTIVATING: apply input mappings, open what it waits for, and transition to ACTIVATED
   * (and onwards for elements that do not wait). On a failure, raise an incident and stay ACTIVATING:
   * resolving the incident calls this hook again.
   */
  onActivate(ctx: ProcessingContext, element: ElementContext<E>): void;
  /**
   * The element is COMPLETING: apply output mappings, transition to COMPLETED and take outgoing flows.
   * On a failure, raise an incident and stay COMPLETING: resolving it calls this hook again.
   */
  onComplete(ctx: ProcessingContext, element: ElementContext<E>): void;
  /** The element is TERMINATING: close what it waits for, terminate children, then transition to TERMINATED. */
  onTerminate(ctx: ProcessingContext, element: ElementContext<E>): void;
  /** Containers only: a child completed or terminated without taking a flow. */
  onChildEnded?(ctx: ProcessingContext, scope: ElementContext<E>): void;
}
