import type { ScriptTaskElement } from '../../model/executable.js';
import { compileJobDefinition, compileScript, taskDefinitionOf } from '../../model/compile-element.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  completeFlowNode,
  inputMappingsApplied,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { evaluateInScope } from '../behaviors/expressions.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { mergeCompletionVariables } from '../behaviors/variables.js';
import { activateJobWorkerTask } from './service-task.js';

/** A script task: a FEEL expression (`zeebe:script`) whose result is stored, or a job when it has a task definition. */
export const scriptTask: ElementProcessor<ScriptTaskElement> = {
  onActivate(ctx, el) {
    const { job, script } = el.element;
    if (job) {
      activateJobWorkerTask(ctx, el, job);
      return;
    }
    if (!inputMappingsApplied(ctx, el)) return;
    const result = evaluateInScope(ctx, el.key, script.expression);
    if (!result.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', result.message);
      return;
    }
    mergeCompletionVariables(ctx, el, { [script.resultVariable]: result.value });
    activateAndComplete(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const scriptTaskKind: ElementKind<ScriptTaskElement> = {
  // With a zeebe:taskDefinition the script is a job; otherwise the engine evaluates its zeebe:script.
  compile(source, base, problems) {
    const taskDefinition = taskDefinitionOf(source);
    return taskDefinition
      ? { ...base, job: compileJobDefinition(source, taskDefinition, problems) }
      : { ...base, script: compileScript(source, problems) };
  },
  processor: scriptTask,
  activity: true,
};
