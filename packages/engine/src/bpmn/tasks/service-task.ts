import type { ElementProcessor } from '../element-processor.js';
import { completeElement, inputMappingsApplied, terminateElement } from '../behaviors/activity.js';
import { createJob, prepareJob } from '../behaviors/jobs.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { transition } from '../behaviors/transitions.js';

/** A task done by a job worker: service tasks, and script/send/business-rule tasks with a task definition. */
export const serviceTask: ElementProcessor = {
  onActivate(ctx, el) {
    if (!inputMappingsApplied(ctx, el)) return;
    const job = prepareJob(ctx, el);
    if (!job.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', job.message);
      return;
    }
    transition(ctx, el, 'ELEMENT_ACTIVATED');
    createJob(ctx, job.value);
  },
  onComplete: completeElement,
  onTerminate: terminateElement,
};
