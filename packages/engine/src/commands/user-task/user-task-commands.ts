import type { CommandProcessor, ProcessingContext } from '../../processing/processing-context.js';
import type { UserTask } from '../../state/types.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { mergeCompletionVariables } from '../../bpmn/behaviors/variables.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { parseDateTime } from '../../timers/iso8601.js';

function existing(ctx: ProcessingContext, action: string, key: string): UserTask | undefined {
  const task = ctx.state.userTask(key);
  if (!task)
    ctx.reject(
      'NOT_FOUND',
      `Expected to ${action} user task with key '${key}', but no such user task was found`,
    );
  return task;
}

/** ASSIGN: sets (or, with "", removes) the assignee, whoever had it. */
export const assignUserTask: CommandProcessor<'USER_TASK:ASSIGN'> = (command, ctx) => {
  const { key, value } = command;
  const task = existing(ctx, 'assign', key);
  if (!task) return;
  const assignee = typeof value.assignee === 'string' ? value.assignee : '';
  ctx.respond(
    ctx.appendEvent(key, { valueType: 'USER_TASK', intent: 'ASSIGNED', value: { ...task.value, assignee } }),
  );
};

/** CLAIM: assigns the task to the claimant, unless someone else has it already. */
export const claimUserTask: CommandProcessor<'USER_TASK:CLAIM'> = (command, ctx) => {
  const { key, value } = command;
  const task = existing(ctx, 'claim', key);
  if (!task) return;
  if (typeof value.assignee !== 'string' || value.assignee === '') {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected to claim user task '${key}' for a named user, but no assignee was given`,
    );
    return;
  }
  if (task.value.assignee && task.value.assignee !== value.assignee) {
    ctx.reject(
      'INVALID_STATE',
      `Expected to claim user task '${key}', but it is already assigned to '${task.value.assignee}'`,
    );
    return;
  }
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'USER_TASK',
      intent: 'ASSIGNED',
      value: { ...task.value, assignee: value.assignee },
    }),
  );
};

/** COMPLETE: the person is done; the variables are merged and the task element completes. */
export const completeUserTask: CommandProcessor<'USER_TASK:COMPLETE'> = (command, ctx) => {
  const { key, value } = command;
  const task = existing(ctx, 'complete', key);
  if (!task) return;
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'USER_TASK',
      intent: 'COMPLETED',
      value: { ...task.value, variables },
    }),
  );
  const instance = ctx.state.elementInstance(task.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (!el || instance.state !== 'ELEMENT_ACTIVATED') return;
  mergeCompletionVariables(ctx, el, variables);
  lifecycleCommand(ctx, el, 'COMPLETE_ELEMENT');
};

/** The attributes UPDATE may change; an attribute left out keeps its value. */
const UPDATABLE = ['dueDate', 'followUpDate', 'candidateGroups', 'candidateUsers', 'priority'] as const;

/** Why a changed attribute is not acceptable, or undefined when it is. */
function invalidChange(name: (typeof UPDATABLE)[number], value: unknown): string | undefined {
  switch (name) {
    case 'dueDate':
    case 'followUpDate':
      return typeof value === 'string' && (value === '' || parseDateTime(value) !== undefined)
        ? undefined
        : 'an ISO 8601 date-time with a zone (or "" to clear it)';
    case 'candidateGroups':
    case 'candidateUsers':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : 'a list of strings';
    case 'priority':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
        ? undefined
        : 'an integer from 0 to 100';
  }
}

/**
 * UPDATE: changes the schedule, candidates or priority of an open task (Camunda's user task update). Only the
 * attributes present in the command change; a bad value is refused, naming the attribute.
 */
export const updateUserTask: CommandProcessor<'USER_TASK:UPDATE'> = (command, ctx) => {
  const { key, value } = command;
  const task = existing(ctx, 'update', key);
  if (!task) return;
  const changes: Record<string, unknown> = {};
  for (const name of UPDATABLE) {
    const changed = (value as unknown as Record<string, unknown>)[name];
    if (changed === undefined) continue;
    const expected = invalidChange(name, changed);
    if (expected) {
      ctx.reject(
        'INVALID_ARGUMENT',
        `Expected the ${name} of user task '${key}' to be ${expected}, but it was ${JSON.stringify(changed)}`,
      );
      return;
    }
    changes[name] = changed;
  }
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'USER_TASK',
      intent: 'UPDATED',
      value: { ...task.value, ...changes },
    }),
  );
};
