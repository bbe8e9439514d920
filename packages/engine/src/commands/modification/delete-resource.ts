import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { DecisionRecordValue } from '../../records/decision.js';
import { replaceTimerStarts, timerStartsOf } from '../deployment/timer-start-events.js';

/**
 * DELETE: removes a process definition, a decision, a decision requirements graph (by its key, as Zeebe's
 * DeleteResource takes it: all the decisions of that deployed DMN resource) or a form. A process definition
 * with running instances is refused (cancel or migrate them first). When the latest version goes, the
 * previous one becomes the latest again, with its timer start events.
 */
export const deleteResource: CommandProcessor<'RESOURCE_DELETION:DELETE'> = (command, ctx) => {
  const { value } = command;
  const process = ctx.state.processByKey(value.resourceKey);
  const decisions = process ? [] : decisionsOf(ctx, value.resourceKey);
  const form = process || decisions.length > 0 ? undefined : ctx.state.forms.byKey(value.resourceKey);
  if (!process && decisions.length === 0 && !form) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to delete resource with key '${value.resourceKey}', but no such process definition, decision or form was found`,
    );
    return;
  }
  if (form) ctx.appendEvent(form.formKey, { valueType: 'FORM', intent: 'DELETED', value: form });
  for (const decision of decisions)
    ctx.appendEvent(decision.decisionKey, { valueType: 'DECISION', intent: 'DELETED', value: decision });
  if (process) {
    const running = ctx.state.runningInstancesOf(process.key);
    if (running > 0) {
      ctx.reject(
        'INVALID_STATE',
        `Expected to delete process definition '${process.bpmnProcessId}' version ${process.version}, but it has ${running} running instance(s); cancel or migrate them first`,
      );
      return;
    }
    const wasLatest = ctx.state.latestProcess(process.bpmnProcessId)?.key === process.key;
    ctx.appendEvent(process.key, {
      valueType: 'PROCESS',
      intent: 'DELETED',
      value: { ...process, processDefinitionKey: process.key },
    });
    const previous = ctx.state.latestProcess(process.bpmnProcessId);
    if (wasLatest) {
      const starts = previous
        ? timerStartsOf(previous.executable, ctx.timestamp)
        : { ok: true as const, value: [] };
      replaceTimerStarts(ctx, process.bpmnProcessId, previous?.key ?? '-1', starts.ok ? starts.value : []);
    }
  }
  ctx.respond(ctx.appendEvent(ctx.nextKey(), { valueType: 'RESOURCE_DELETION', intent: 'DELETED', value }));
};

/** The decision with key `key`, or every decision of the decision requirements graph with key `key`. */
function decisionsOf(ctx: ProcessingContext, key: string): DecisionRecordValue[] {
  const decision = ctx.state.decisionByKey(key);
  if (decision) return [decision];
  return [...ctx.state.decisions()].filter((d) => d.decisionRequirementsKey === key);
}
