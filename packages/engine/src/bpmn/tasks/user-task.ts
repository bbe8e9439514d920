import type { UserTaskElement } from '../../model/executable.js';
import { compileUserTask, USER_TASK_JOB } from '../../model/compile-element.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activatedAndWaiting,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { createJob, prepareJob } from '../behaviors/jobs.js';
import { userTaskDetails, userTaskHeaders } from '../behaviors/user-task-details.js';
import { linkedFormKey } from '../behaviors/linked-form.js';

/**
 * A task for a person. A Camunda user task (`zeebe:userTask`) is kept by the engine (list, claim, assign,
 * complete); otherwise it is a job of type `io.camunda.zeebe:userTask` for a tasklist worker.
 */
export const userTask: ElementProcessor<UserTaskElement> = {
  onActivate(ctx, el) {
    const details = userTaskDetails(ctx, el);
    if (!details.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', details.message);
      return;
    }
    const form = linkedFormKey(ctx, el);
    if (!form.ok) {
      raiseIncident(ctx, el, form.errorType, form.message);
      return;
    }
    const task = form.formKey === undefined ? details.value : { ...details.value, formKey: form.formKey };
    const definition = el.element.job;
    const job = definition ? prepareJob(ctx, el, definition) : undefined;
    if (job && !job.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', job.message);
      return;
    }
    if (!activityActivated(ctx, el)) return;
    activatedAndWaiting(ctx, el);
    if (ctx.state.elementInstance(el.key)?.state !== 'ELEMENT_ACTIVATED') return;
    if (job?.ok) {
      createJob(ctx, {
        ...job.value,
        customHeaders: { ...job.value.customHeaders, ...userTaskHeaders(task) },
      });
      return;
    }
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'USER_TASK',
      intent: 'CREATED',
      value: {
        ...task,
        variables: {},
        elementId: el.value.elementId,
        elementInstanceKey: el.key,
        processInstanceKey: el.value.processInstanceKey,
        processDefinitionKey: el.value.processDefinitionKey,
        bpmnProcessId: el.value.bpmnProcessId,
        processDefinitionVersion: el.value.version,
      },
    });
  },
  onComplete: completeFlowNode,
  onTerminate(ctx, el) {
    const key = ctx.state.elementInstance(el.key)?.userTaskKey;
    const task = key === undefined ? undefined : ctx.state.userTask(key);
    if (task) ctx.appendEvent(task.key, { valueType: 'USER_TASK', intent: 'CANCELED', value: task.value });
    terminateFlowNode(ctx, el);
  },
};

export const userTaskKind: ElementKind<UserTaskElement> = {
  // A job-based user task is a job of type io.camunda.zeebe:userTask (its zeebe:taskDefinition is ignored,
  // as Zeebe ignores the one Modeler 5 left there).
  compile(source, base, problems) {
    const definition = compileUserTask(source, problems);
    return definition.native
      ? { ...base, userTask: definition }
      : { ...base, userTask: definition, job: USER_TASK_JOB };
  },
  processor: userTask,
  activity: true,
};
