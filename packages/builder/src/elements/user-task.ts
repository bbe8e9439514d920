import type { ExtensionModel } from '../model/extension-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { requireText } from './expressions.js';
import { activityNode } from './activity.js';

/** Options of a user task. Every value may be a FEEL expression (`'= order.owner'`). */
export interface UserTaskOptions extends ActivityOptions, IoMappingOptions {
  readonly assignee?: string;
  /** Groups that may claim it: a list, or one string (comma-separated or FEEL). */
  readonly candidateGroups?: string | readonly string[];
  readonly candidateUsers?: string | readonly string[];
  /** An ISO 8601 date-time with a zone. */
  readonly dueDate?: string;
  readonly followUpDate?: string;
  /** The form shown for it: a key (job-based tasks, embedded forms) … */
  readonly formKey?: string;
  /** … or the id of a deployed Camunda form … */
  readonly formId?: string;
  /** … or a link to a form elsewhere. */
  readonly externalReference?: string;
  /** 0–100. */
  readonly priority?: number | string;
  /**
   * `true` makes it a job of type `io.camunda.zeebe:userTask` for a tasklist worker (Zeebe's older
   * job-based user task) instead of a Camunda user task (`zeebe:userTask`).
   */
  readonly jobWorker?: boolean;
}

/** A user task: work for a person, listed until someone completes it. */
export const userTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:UserTask',
  description: 'user task',
};

export function createUserTask(id: string, options: UserTaskOptions = {}): NodeModel {
  const text = (value: string | undefined, what: string) =>
    value === undefined ? undefined : requireText(value, id, what);
  const list = (value: string | readonly string[] | undefined, what: string) =>
    value === undefined
      ? undefined
      : typeof value === 'string'
        ? requireText(value, id, what)
        : value.map((v) => requireText(v, id, `an entry of ${what}`)).join(', ');
  const extensions: ExtensionModel[] = options.jobWorker === true ? [] : [{ kind: 'userTask' }];
  const assignment = {
    assignee: text(options.assignee, 'the assignee'),
    candidateGroups: list(options.candidateGroups, 'the candidate groups'),
    candidateUsers: list(options.candidateUsers, 'the candidate users'),
  };
  if (Object.values(assignment).some((v) => v !== undefined)) {
    extensions.push({ kind: 'assignmentDefinition', ...assignment });
  }
  const schedule = {
    dueDate: text(options.dueDate, 'the due date'),
    followUpDate: text(options.followUpDate, 'the follow-up date'),
  };
  if (Object.values(schedule).some((v) => v !== undefined)) {
    extensions.push({ kind: 'taskSchedule', ...schedule });
  }
  const form = {
    formKey: text(options.formKey, 'the form key'),
    formId: text(options.formId, 'the form id'),
    externalReference: text(options.externalReference, 'the form reference'),
  };
  if (Object.values(form).some((v) => v !== undefined)) extensions.push({ kind: 'formDefinition', ...form });
  if (options.priority !== undefined) {
    extensions.push({
      kind: 'priorityDefinition',
      priority: requireText(String(options.priority), id, 'the priority'),
    });
  }
  return activityNode('userTask', id, options, extensions);
}
