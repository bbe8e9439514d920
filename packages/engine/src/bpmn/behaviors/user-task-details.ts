import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExpressionOrStatic } from '../../model/executable.js';
import type { Result } from '../../expressions/feel.js';
import { failure, feelTypeName, ok } from '../../expressions/feel.js';
import { parseDateTime } from '../../timers/iso8601.js';
import type { UserTaskElement } from '../../model/executable.js';
import type { ElementContext } from '../element-context.js';
import { evaluateInScope } from './expressions.js';

export interface UserTaskDetails {
  readonly assignee: string;
  readonly candidateGroups: string[];
  readonly candidateUsers: string[];
  readonly dueDate: string;
  readonly followUpDate: string;
  readonly priority: number;
  readonly formKey: string;
}

function evaluate(
  ctx: ProcessingContext,
  scopeKey: string,
  e: ExpressionOrStatic | undefined,
): Result<unknown> {
  if (!e) return ok(undefined);
  return e.kind === 'static' ? ok(e.value) : evaluateInScope(ctx, scopeKey, e.expression);
}

function list(what: string, value: unknown): Result<string[]> {
  if (value === undefined || value === null) return ok([]);
  if (typeof value === 'string')
    return ok(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return ok(value as string[]);
  return failure(
    `Expected the ${what} to be a list of strings or a comma-separated string, but was '${feelTypeName(value)}'.`,
  );
}

function date(what: string, value: unknown): Result<string> {
  if (value === undefined || value === null || value === '') return ok('');
  if (typeof value === 'string' && parseDateTime(value) !== undefined) return ok(value);
  return failure(`Expected the ${what} to be an ISO 8601 date-time with a zone, but was '${String(value)}'.`);
}

/** Evaluates a user task's assignment, schedule and priority in its scope; a bad value names the field. */
export function userTaskDetails(
  ctx: ProcessingContext,
  el: ElementContext<UserTaskElement>,
): Result<UserTaskDetails> {
  const definition = el.element.userTask;
  const assignee = evaluate(ctx, el.key, definition.assignee);
  if (!assignee.ok) return assignee;
  if (assignee.value !== undefined && assignee.value !== null && typeof assignee.value !== 'string') {
    return failure(`Expected the assignee to be a string, but was '${feelTypeName(assignee.value)}'.`);
  }
  const groups = evaluate(ctx, el.key, definition.candidateGroups);
  const users = evaluate(ctx, el.key, definition.candidateUsers);
  const due = evaluate(ctx, el.key, definition.dueDate);
  const followUp = evaluate(ctx, el.key, definition.followUpDate);
  const priority = evaluate(ctx, el.key, definition.priority);
  for (const r of [groups, users, due, followUp, priority]) if (!r.ok) return r;
  const candidateGroups = list('candidate groups', (groups as { value: unknown }).value);
  const candidateUsers = list('candidate users', (users as { value: unknown }).value);
  const dueDate = date('due date', (due as { value: unknown }).value);
  const followUpDate = date('follow-up date', (followUp as { value: unknown }).value);
  for (const r of [candidateGroups, candidateUsers, dueDate, followUpDate]) if (!r.ok) return r;
  const priorityValue = Number((priority as { value: unknown }).value ?? 50);
  if (!Number.isInteger(priorityValue) || priorityValue < 0 || priorityValue > 100) {
    return failure(
      `Expected the priority to be an integer from 0 to 100, but was '${String((priority as { value: unknown }).value)}'.`,
    );
  }
  return ok({
    assignee: typeof assignee.value === 'string' ? assignee.value : '',
    candidateGroups: (candidateGroups as { value: string[] }).value,
    candidateUsers: (candidateUsers as { value: string[] }).value,
    dueDate: (dueDate as { value: string }).value,
    followUpDate: (followUpDate as { value: string }).value,
    priority: priorityValue,
    formKey: definition.formKey,
  });
}

/** The custom headers Camunda 8 gives a job-based user task. */
export function userTaskHeaders(details: UserTaskDetails): Record<string, string> {
  const headers: Record<string, string> = {};
  if (details.assignee) headers['io.camunda.zeebe:assignee'] = details.assignee;
  if (details.candidateGroups.length > 0)
    headers['io.camunda.zeebe:candidateGroups'] = JSON.stringify(details.candidateGroups);
  if (details.candidateUsers.length > 0)
    headers['io.camunda.zeebe:candidateUsers'] = JSON.stringify(details.candidateUsers);
  if (details.dueDate) headers['io.camunda.zeebe:dueDate'] = details.dueDate;
  if (details.followUpDate) headers['io.camunda.zeebe:followUpDate'] = details.followUpDate;
  if (details.formKey) headers['io.camunda.zeebe:formKey'] = details.formKey;
  return headers;
}
