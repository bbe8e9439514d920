import type { ProcessingContext } from '../../processing/processing-context.js';
import type { JobDefinition, ServiceTaskElement } from '../../model/executable.js';
import { compileJobDefinition, taskDefinitionOf } from '../../model/compile-element.js';
import type { ElementContext } from '../element-context.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activatedAndWaiting,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { createJob, prepareJob } from '../behaviors/jobs.js';
import { raiseIncident } from '../behaviors/incidents.js';

/** Service and send tasks: a job of their `zeebe:taskDefinition` type, done by a job worker. */
export const serviceTask: ElementProcessor<ServiceTaskElement> = {
  onActivate(ctx, el) {
    activateJobWorkerTask(ctx, el, el.element.job);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

/**
 * Activates an element done by a job worker: service and send tasks, script and business rule tasks with a
 * task definition, and message throw/end events (as in Camunda 8, a worker sends the message).
 */
export function activateJobWorkerTask(
  ctx: ProcessingContext,
  el: ElementContext,
  definition: JobDefinition,
): void {
  const job = prepareJob(ctx, el, definition);
  if (!job.ok) {
    raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', job.message);
    return;
  }
  if (!activityActivated(ctx, el)) return;
  activatedAndWaiting(ctx, el);
  if (ctx.state.elementInstance(el.key)?.state === 'ELEMENT_ACTIVATED') createJob(ctx, job.value);
}

export const serviceTaskKind: ElementKind<ServiceTaskElement> = {
  compile: (source, base, problems) => ({
    ...base,
    job: compileJobDefinition(source, taskDefinitionOf(source), problems),
  }),
  processor: serviceTask,
  activity: true,
};
