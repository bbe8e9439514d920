import type { AdHocSubProcessElement } from '../../model/executable.js';
import { compileJobDefinition, taskDefinitionOf } from '../../model/compile-element.js';
import { compileAdHoc } from '../../model/compile-ad-hoc.js';
import type { ElementKind } from '../element-kind.js';
import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ElementContext } from '../element-context.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateContainer,
  completeContainer,
  containerChildEnded,
  terminateContainer,
} from '../behaviors/container.js';
import { inputMappingsApplied } from '../behaviors/activity.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { cancelJobOf, createJob, prepareJob } from '../behaviors/jobs.js';
import { command } from '../behaviors/transitions.js';
import { propagateVariables, setLocalVariables } from '../behaviors/variables.js';
import {
  AD_HOC_ELEMENTS_VARIABLE,
  activateAdHocElement,
  adHocElementsMetadata,
  createAdHocJob,
  elementsToActivate,
} from '../behaviors/ad-hoc.js';

/**
 * An ad-hoc sub-process: its inner elements without incoming flows run when activated — by the active
 * elements collection on entry, by an activation command, or by its job worker's result — each in an inner
 * instance of its own; it completes by its completion condition, or when nothing is active in it.
 */
export const adHocSubProcess: ElementProcessor<AdHocSubProcessElement> = {
  onActivate(ctx, el) {
    const { outputCollection, implementation } = el.element.adHoc;
    setLocalVariables(ctx, el, el.key, {
      [AD_HOC_ELEMENTS_VARIABLE]: adHocElementsMetadata(el),
      ...(outputCollection ? { [outputCollection]: [] } : {}),
    });
    if (!inputMappingsApplied(ctx, el)) return;
    const ids = elementsToActivate(ctx, el);
    if (!ids.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', ids.message);
      return;
    }
    const job =
      implementation === 'jobWorker' && el.element.job ? prepareJob(ctx, el, el.element.job) : undefined;
    if (job && !job.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', job.message);
      return;
    }
    activateContainer(ctx, el, undefined);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED') return;
    if (job?.ok) createJob(ctx, job.value);
    for (const id of ids.value) activateAdHocElement(ctx, el, id);
  },
  onComplete(ctx, el) {
    const { outputCollection } = el.element.adHoc;
    if (outputCollection) {
      const value = ctx.state.localVariables(el.key)?.[outputCollection] ?? [];
      propagateVariables(ctx, el, el.value.flowScopeKey, { [outputCollection]: value });
    }
    cancelJobOf(ctx, el);
    completeContainer(ctx, el);
  },
  onTerminate(ctx, el) {
    cancelJobOf(ctx, el);
    terminateContainer(ctx, el);
  },
  // An inner instance that completes reports through `adHocInnerCompleted`; this sees terminations and event
  // sub-processes. Once the instances cancelled by a fulfilled condition are gone, the sub-process completes;
  // with a job worker, anything else that ended hands control back to the worker.
  onChildEnded(ctx, el) {
    const instance = ctx.state.elementInstance(el.key);
    const jobWorker = el.element.adHoc.implementation === 'jobWorker';
    if (!jobWorker || instance?.state !== 'ELEMENT_ACTIVATED') {
      containerChildEnded(ctx, el);
      return;
    }
    if (instance.completionConditionFulfilled) {
      if (instance.activeChildren === 0 && instance.activeSequenceFlows === 0)
        command(ctx, el, 'COMPLETE_ELEMENT');
      return;
    }
    cancelJobOf(ctx, el);
    // While an interrupting event sub-process runs, the worker has nothing to decide.
    if (!interruptedByEventSubProcess(ctx, el)) createAdHocJob(ctx, el);
  },
};

function interruptedByEventSubProcess(ctx: ProcessingContext, el: ElementContext): boolean {
  return ctx.state.childrenOf(el.key).some((child) => {
    const eventSubProcess = el.process.elements[child.value.elementId];
    const start = el.process.elements[eventSubProcess?.eventStartId ?? ''];
    return child.value.bpmnElementType === 'EVENT_SUB_PROCESS' && start?.interrupting !== false;
  });
}

export const adHocSubProcessKind: ElementKind<AdHocSubProcessElement> = {
  compile(source, base, problems) {
    const adHoc = compileAdHoc(source, problems);
    const taskDefinition = taskDefinitionOf(source);
    return taskDefinition
      ? { ...base, adHoc, job: compileJobDefinition(source, taskDefinition, problems) }
      : { ...base, adHoc };
  },
  validate(element, process, problem) {
    // Zeebe's rules: the inner elements are activated, never started or ended by events.
    const inner = process.childrenOf(element.adHoc.innerInstanceId);
    const named = (type: string) =>
      inner
        .filter((e) => e.type === type)
        .map((e) => `'${e.id}'`)
        .join(', ');
    if (inner.length === 0) problem('an ad-hoc sub-process must have at least one activity');
    if (named('START_EVENT'))
      problem(`an ad-hoc sub-process must not contain a start event (found ${named('START_EVENT')})`);
    if (named('END_EVENT'))
      problem(`an ad-hoc sub-process must not contain an end event (found ${named('END_EVENT')})`);
  },
  processor: adHocSubProcess,
  activity: true,
};
