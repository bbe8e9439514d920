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
import { serviceTask } from './service-task.js';

/** A script task: a FEEL expression (`zeebe:script`) whose result is stored, or a job when it has a task definition. */
export const scriptTask: ElementProcessor = {
  onActivate(ctx, el) {
    if (el.element.job) {
      serviceTask.onActivate(ctx, el);
      return;
    }
    if (!inputMappingsApplied(ctx, el)) return;
    const script = el.element.script!;
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
