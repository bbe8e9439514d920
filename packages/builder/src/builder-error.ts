/**
 * Thrown when a process cannot be built: a duplicate or unknown id, a flow BPMN or Zeebe would reject,
 * an element nothing leads to. The message names the element id; `elementId` carries it for programs.
 */
export class BuilderError extends Error {
  override readonly name = 'BuilderError';

  constructor(
    message: string,
    /** The id of the element the problem is about, when there is one. */
    readonly elementId?: string,
  ) {
    super(message);
  }
}
