import type { ElementProcessor } from '../element-processor.js';
import {
  activatedAndWaiting,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { createJob, prepareJob } from '../behaviors/jobs.js';
import { raiseIncident } from '../behaviors/incidents.js';

/**
 * A task done by a job worker: service and send tasks, script tasks with a task definition, and message
 * throw/end events (as in Camunda 8, a worker sends the message).
 */
export const serviceTask: ElementProcessor = {
  onActivate(ctx, el) {
    const job = prepareJobOrIncident(ctx, el);
    if (!job || !activityActivated(ctx, el)) return;
    activatedAndWaiting(ctx, el);
    if (ctx.state.elementInstance(el.key)?.state === 'ELEMENT_ACTIVATED') createJob(ctx, job);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

function prepareJobOrIncident(...[ctx, el]: Parameters<ElementProcessor['onActivate']>) {
  const job = prepareJob(ctx, el);
  if (job.ok) return job.value;
  raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', job.message);
  return undefined;
}
