import type { NodeModel, ScopeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions, JobOptions } from './element-options.js';
import { jobExtensions } from './job-definition.js';
import { activityNode } from './activity.js';
import { BuilderError } from '../builder-error.js';
import { asFeelExpression, requireText } from './expressions.js';

/** Options of an ad-hoc sub-process (Camunda 8.7+). FEEL fields get their leading `=` when it is missing. */
export interface AdHocSubProcessOptions extends ActivityOptions, IoMappingOptions {
  /** A FEEL list of the inner element ids to activate when the sub-process is entered: `'= toolsToCall'`. */
  readonly activeElementsCollection?: string;
  /** A FEEL condition checked each time an inner activation completes; when true, the sub-process completes. */
  readonly completionCondition?: string;
  /** When the condition holds: terminate the inner elements still active (default true) or wait for them. */
  readonly cancelRemainingInstances?: boolean;
  /** The variable the outputs of the activations are gathered in; needs `outputElement`. */
  readonly outputCollection?: string;
  /** A FEEL expression evaluated when an activation completes; its value is appended to `outputCollection`. */
  readonly outputElement?: string;
  /**
   * The job worker implementation (`zeebe:taskDefinition`, e.g. an AI agent): its worker activates the
   * elements and decides when the sub-process completes. Not with the three options above that decide that.
   */
  readonly jobWorker?: JobOptions;
}

/**
 * An ad-hoc sub-process: its inner elements have no start or end event; each one without an incoming flow
 * can be activated (by the active elements collection, or by the activation API), any number of times.
 */
export const adHocSubProcessKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:AdHocSubProcess',
  description: 'ad-hoc sub-process',
  validate(node) {
    const inner = [...(node.scope?.nodes.values() ?? [])];
    const events = inner
      .filter((n) => n.kind === 'startEvent' || n.kind === 'endEvent')
      .map((n) => `'${n.id}'`);
    if (events.length > 0)
      return `ad-hoc sub-process '${node.id}' must not contain start or end events (found ${events.join(', ')})`;
    if (inner.length === 0) return `ad-hoc sub-process '${node.id}' must have at least one activity`;
    return undefined;
  },
};

export function createAdHocSubProcess(
  id: string,
  options: AdHocSubProcessOptions,
  scope: ScopeModel,
): NodeModel {
  const feel = (value: string | undefined, what: string) =>
    value === undefined ? undefined : asFeelExpression(requireText(value, id, what), id, what);
  const outputCollection =
    options.outputCollection === undefined
      ? undefined
      : requireText(options.outputCollection, id, 'the output collection');
  const outputElement = feel(options.outputElement, 'the output element');
  if ((outputCollection === undefined) !== (outputElement === undefined)) {
    throw new BuilderError(
      `ad-hoc sub-process '${id}' needs outputCollection and outputElement together`,
      id,
    );
  }
  const activeElementsCollection = feel(options.activeElementsCollection, 'the active elements collection');
  const adHoc =
    activeElementsCollection !== undefined || outputCollection !== undefined
      ? [{ kind: 'adHoc' as const, activeElementsCollection, outputCollection, outputElement }]
      : [];
  const completionCondition = feel(options.completionCondition, 'the completion condition');
  if (
    options.jobWorker !== undefined &&
    (activeElementsCollection !== undefined ||
      completionCondition !== undefined ||
      options.cancelRemainingInstances === false)
  ) {
    throw new BuilderError(
      `ad-hoc sub-process '${id}' with a job worker lets the worker decide: it takes no ` +
        `activeElementsCollection, completionCondition or cancelRemainingInstances: false`,
      id,
    );
  }
  const job = options.jobWorker === undefined ? [] : jobExtensions(id, options.jobWorker);
  const node = activityNode('adHocSubProcess', id, options, [...adHoc, ...job]);
  return {
    ...node,
    ...(options.cancelRemainingInstances === false
      ? { attributes: { cancelRemainingInstances: false } }
      : {}),
    ...(completionCondition !== undefined ? { completionCondition } : {}),
    scope,
  };
}
