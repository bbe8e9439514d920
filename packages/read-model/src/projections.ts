import type Database from 'better-sqlite3';
import type { JobRecordValue, LoggedRecord, LoggedRecordOf } from '@baton-engine/engine';

/** Applies a batch of one partition's records and moves its exporter position, in one transaction. */
export type ApplyBatch = (partitionId: number, records: readonly LoggedRecord[]) => void;

/** Prepared statements that project records onto the read-model tables. */
export function prepareProjections(db: Database.Database): { applyBatch: ApplyBatch } {
  const s = (sql: string) => db.prepare(sql);
  const st = {
    position: s(
      'INSERT INTO rm_exporter_position (partition_id, position) VALUES (?, ?) ON CONFLICT (partition_id) DO UPDATE SET position = excluded.position',
    ),
    definition: s(
      `INSERT OR REPLACE INTO rm_process_definition (key, bpmn_process_id, version, name, resource_name, xml, deployed_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
    ),
    definitionDeleted: s('UPDATE rm_process_definition SET deleted = 1 WHERE key = ?'),
    instance: s(
      `INSERT OR IGNORE INTO rm_process_instance (key, partition_id, process_definition_key, bpmn_process_id, version, state, start_time, parent_process_instance_key, parent_element_instance_key) VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)`,
    ),
    instanceEnded: s(
      'UPDATE rm_process_instance SET state = ?, end_time = ? WHERE key = ? AND end_time IS NULL',
    ),
    instanceRow: s(
      'SELECT bpmn_process_id AS bpmnProcessId, end_time IS NOT NULL AS ended FROM rm_process_instance WHERE key = ?',
    ),
    processStats: s(
      `INSERT INTO rm_process_stats (bpmn_process_id, active, completed, terminated) VALUES (@id, @active, @completed, @terminated)
       ON CONFLICT (bpmn_process_id) DO UPDATE SET active = active + @active, completed = completed + @completed, terminated = terminated + @terminated`,
    ),
    instanceMigrated: s(
      'UPDATE rm_process_instance SET process_definition_key = ?, bpmn_process_id = ?, version = ? WHERE key = ?',
    ),
    element: s(
      `INSERT OR IGNORE INTO rm_element_instance (key, process_instance_key, process_definition_key, element_id, element_type, flow_scope_key, state, start_time) VALUES (?, ?, ?, ?, ?, ?, 'ACTIVATING', ?)`,
    ),
    elementState: s('UPDATE rm_element_instance SET state = ? WHERE key = ?'),
    elementEnded: s(
      'UPDATE rm_element_instance SET state = ?, end_time = ? WHERE key = ? AND end_time IS NULL',
    ),
    elementRow: s(
      'SELECT process_definition_key AS processDefinitionKey, element_id AS elementId, end_time IS NOT NULL AS ended FROM rm_element_instance WHERE key = ?',
    ),
    elementStats: s(
      `INSERT INTO rm_element_stats (process_definition_key, element_id, active, completed, terminated) VALUES (@definition, @element, @active, @completed, @terminated)
       ON CONFLICT (process_definition_key, element_id) DO UPDATE SET active = active + @active, completed = completed + @completed, terminated = terminated + @terminated`,
    ),
    elementMigrated: s(
      'UPDATE rm_element_instance SET process_definition_key = ?, element_id = ? WHERE key = ?',
    ),
    variable: s(
      `INSERT INTO rm_variable (scope_key, name, process_instance_key, value, updated_at, key) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_key, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, key = COALESCE(rm_variable.key, excluded.key)`,
    ),
    variableHistory: s(
      'INSERT OR IGNORE INTO rm_variable_history (position, partition_id, scope_key, name, process_instance_key, value, time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    jobRetries: s('UPDATE rm_job SET retries = ?, updated_at = ? WHERE key = ?'),
    jobState: s('SELECT state FROM rm_job WHERE key = ?'),
    jobDeadline: s('UPDATE rm_job SET deadline = ?, updated_at = ? WHERE key = ?'),
    jobDetails: s(
      'UPDATE rm_job SET process_definition_key = ?, bpmn_process_id = ?, custom_headers = ?, error_code = ?, end_time = ? WHERE key = ?',
    ),
    jobMigrated: s('UPDATE rm_job SET element_id = ?, updated_at = ? WHERE key = ?'),
    incidentMigrated: s(
      'UPDATE rm_incident SET process_definition_key = ?, bpmn_process_id = ?, element_id = ? WHERE key = ?',
    ),
    userTaskMigrated: s('UPDATE rm_user_task SET bpmn_process_id = ?, element_id = ? WHERE key = ?'),
    job: s(
      `INSERT OR REPLACE INTO rm_job (key, type, state, retries, worker, process_instance_key, element_instance_key, element_id, error_message, deadline, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    incident: s(
      `INSERT OR IGNORE INTO rm_incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key, job_key, error_type, error_message, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)`,
    ),
    incidentResolved: s(
      `UPDATE rm_incident SET state = 'RESOLVED', resolved_at = ? WHERE key = ? AND state = 'OPEN'`,
    ),
    incidentCount: s(
      'UPDATE rm_process_instance SET incidents = (SELECT COUNT(*) FROM rm_incident WHERE process_instance_key = ? AND state = ?) WHERE key = ?',
    ),
    subscription: s(
      `INSERT OR IGNORE INTO rm_message_subscription (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, message_name, correlation_key, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?)`,
    ),
    subscriptionCorrelated: s(
      'UPDATE rm_message_subscription SET correlations = correlations + 1, updated_at = ? WHERE key = ?',
    ),
    subscriptionDeleted: s(
      `UPDATE rm_message_subscription SET state = 'CLOSED', updated_at = ? WHERE key = ?`,
    ),
    timer: s(
      `INSERT OR IGNORE INTO rm_timer (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, due_date, repetitions, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?)`,
    ),
    timerEnded: s('UPDATE rm_timer SET state = ?, updated_at = ? WHERE key = ?'),
    userTask: s(
      `INSERT OR IGNORE INTO rm_user_task (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, form_key, priority, created_at) VALUES (?, ?, ?, ?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    userTaskAssigned: s('UPDATE rm_user_task SET assignee = ? WHERE key = ?'),
    userTaskUpdated: s(
      'UPDATE rm_user_task SET candidate_groups = ?, candidate_users = ?, due_date = ?, follow_up_date = ?, priority = ? WHERE key = ?',
    ),
    decision: s(
      `INSERT OR IGNORE INTO rm_decision_definition (key, decision_id, name, version, decision_requirements_id, decision_requirements_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    decisionDeleted: s('UPDATE rm_decision_definition SET deleted = 1 WHERE key = ?'),
    decisionRequirements: s(
      `INSERT OR IGNORE INTO rm_decision_requirements (key, decision_requirements_id, name, version, resource_name, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    decisionKeyOf: s(
      'SELECT key, version FROM rm_decision_definition WHERE decision_requirements_key = ? AND decision_id = ?',
    ),
    decisionInstance: s(
      `INSERT OR IGNORE INTO rm_decision_instance (key, evaluation_key, state, evaluated_at, failure, decision_id, decision_key, decision_name, decision_version, decision_type, result, evaluated_inputs, matched_rules, process_definition_key, process_instance_key, element_instance_key)
       VALUES (@key, @evaluationKey, @state, @time, @failure, @decisionId, @decisionKey, @decisionName, @decisionVersion, @decisionType, @result, @inputs, @rules, @processDefinitionKey, @processInstanceKey, @elementInstanceKey)`,
    ),
    instanceDefinitionOf: s('SELECT process_definition_key AS key FROM rm_process_instance WHERE key = ?'),
    userTaskEnded: s('UPDATE rm_user_task SET state = ?, completed_at = ? WHERE key = ?'),
    audit: s(
      'INSERT OR IGNORE INTO rm_audit (partition_id, position, time, value_type, intent, key, process_instance_key, element_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };

  const countInstance = (id: string, active: number, completed: number, terminated: number) =>
    st.processStats.run({ id, active, completed, terminated });
  const countElement = (
    definition: string,
    element: string,
    active: number,
    completed: number,
    terminated: number,
  ) => st.elementStats.run({ definition, element, active, completed, terminated });

  /** The job's columns beyond the cockpit's (its INSERT OR REPLACE leaves them empty). */
  const jobDetails = (key: string, v: JobRecordValue, endTime: number | null) =>
    st.jobDetails.run(
      v.processDefinitionKey,
      v.bpmnProcessId,
      JSON.stringify(v.customHeaders ?? {}),
      v.errorCode || null,
      endTime,
      key,
    );

  /** One line of the audit trail: what happened to which instance and element, when. */
  const audit = (r: LoggedRecord, processInstanceKey: string, elementId: string) =>
    st.audit.run(
      r.partitionId,
      r.position,
      r.timestamp,
      r.valueType,
      r.intent,
      r.key,
      processInstanceKey,
      elementId,
    );

  /** Applies one committed record (events only) to the tables. */
  const apply = (r: LoggedRecord): void => {
    if (r.recordType !== 'EVENT') return;
    const t = r.timestamp;
    switch (r.valueType) {
      case 'PROCESS':
        if (r.intent === 'CREATED') {
          const v = r.value;
          st.definition.run(
            v.processDefinitionKey,
            v.bpmnProcessId,
            v.version,
            v.executable.name ?? null,
            v.resourceName,
            v.resource,
            t,
          );
        } else st.definitionDeleted.run(r.value.processDefinitionKey);
        return;
      case 'PROCESS_INSTANCE': {
        const v = r.value;
        audit(r, v.processInstanceKey, v.elementId);
        const isProcess = v.flowScopeKey === '-1';
        switch (r.intent) {
          case 'ELEMENT_ACTIVATING':
            if (isProcess) {
              const inserted = st.instance.run(
                r.key,
                r.partitionId,
                v.processDefinitionKey,
                v.bpmnProcessId,
                v.version,
                t,
                v.parentProcessInstanceKey,
                v.parentElementInstanceKey,
              ).changes;
              if (inserted) countInstance(v.bpmnProcessId, 1, 0, 0);
            } else {
              const inserted = st.element.run(
                r.key,
                v.processInstanceKey,
                v.processDefinitionKey,
                v.elementId,
                v.bpmnElementType,
                v.flowScopeKey,
                t,
              ).changes;
              if (inserted) countElement(v.processDefinitionKey, v.elementId, 1, 0, 0);
            }
            return;
          case 'ELEMENT_ACTIVATED':
          case 'ELEMENT_COMPLETING':
          case 'ELEMENT_TERMINATING':
            if (!isProcess) st.elementState.run(r.intent, r.key);
            return;
          case 'ELEMENT_COMPLETED':
          case 'ELEMENT_TERMINATED': {
            const completed = r.intent === 'ELEMENT_COMPLETED' ? 1 : 0;
            if (isProcess) {
              const ended = st.instanceEnded.run(completed ? 'COMPLETED' : 'TERMINATED', t, r.key).changes;
              if (ended) countInstance(v.bpmnProcessId, -1, completed, 1 - completed);
            } else {
              const ended = st.elementEnded.run(r.intent, t, r.key).changes;
              if (ended) countElement(v.processDefinitionKey, v.elementId, -1, completed, 1 - completed);
            }
            return;
          }
          case 'ELEMENT_MIGRATED': {
            // Counters follow the instance: it is active under its new definition now.
            if (isProcess) {
              const before = st.instanceRow.get(r.key) as
                { bpmnProcessId: string; ended: number } | undefined;
              st.instanceMigrated.run(v.processDefinitionKey, v.bpmnProcessId, v.version, r.key);
              if (before && !before.ended) {
                countInstance(before.bpmnProcessId, -1, 0, 0);
                countInstance(v.bpmnProcessId, 1, 0, 0);
              }
            } else {
              const before = st.elementRow.get(r.key) as
                { processDefinitionKey: string; elementId: string; ended: number } | undefined;
              st.elementMigrated.run(v.processDefinitionKey, v.elementId, r.key);
              if (before && !before.ended) {
                countElement(before.processDefinitionKey, before.elementId, -1, 0, 0);
                countElement(v.processDefinitionKey, v.elementId, 1, 0, 0);
              }
            }
            return;
          }
          default:
            return;
        }
      }
      case 'VARIABLE': {
        const v = r.value;
        const value = JSON.stringify(v.value);
        st.variable.run(v.scopeKey, v.name, v.processInstanceKey, value, t, r.key);
        st.variableHistory.run(r.position, r.partitionId, v.scopeKey, v.name, v.processInstanceKey, value, t);
        return;
      }
      case 'JOB': {
        const v = r.value;
        const state =
          JOB_STATES[r.intent] ??
          (r.intent === 'FAILED'
            ? v.retries > 0
              ? v.retryBackoff > 0
                ? 'BACKOFF'
                : 'ACTIVATABLE'
              : 'FAILED'
            : undefined);
        if (r.intent === 'RETRIES_UPDATED') st.jobRetries.run(v.retries, t, r.key);
        if (r.intent === 'TIMEOUT_UPDATED') st.jobDeadline.run(v.deadline, t, r.key);
        if (r.intent === 'MIGRATED') st.jobMigrated.run(v.elementId, t, r.key);
        // The element a thrown error leaves is terminated, which cancels its job: it stays ERROR_THROWN.
        const thrown = r.intent === 'CANCELED' && st.jobState.pluck().get(r.key) === 'ERROR_THROWN';
        if (state && !thrown)
          st.job.run(
            r.key,
            v.type,
            state,
            v.retries,
            v.worker || null,
            v.processInstanceKey,
            v.elementInstanceKey,
            v.elementId,
            v.errorMessage || null,
            v.deadline,
            t,
          );
        if (state && !thrown) jobDetails(r.key, v, JOB_ENDS.has(r.intent) ? t : null);
        audit(r, v.processInstanceKey, v.elementId);
        return;
      }
      case 'JOB_BATCH':
        for (const job of r.value.jobs) {
          st.job.run(
            job.key,
            job.type,
            'ACTIVATED',
            job.retries,
            job.worker,
            job.processInstanceKey,
            job.elementInstanceKey,
            job.elementId,
            job.errorMessage || null,
            job.deadline,
            t,
          );
          jobDetails(job.key, job, null);
        }
        return;
      case 'INCIDENT': {
        const v = r.value;
        if (r.intent === 'CREATED') {
          st.incident.run(
            r.key,
            v.processInstanceKey,
            v.processDefinitionKey,
            v.bpmnProcessId,
            v.elementId,
            v.elementInstanceKey,
            v.jobKey === '-1' ? null : v.jobKey,
            v.errorType,
            v.errorMessage,
            t,
          );
        } else if (r.intent === 'RESOLVED') st.incidentResolved.run(t, r.key);
        else if (r.intent === 'MIGRATED')
          st.incidentMigrated.run(v.processDefinitionKey, v.bpmnProcessId, v.elementId, r.key);
        st.incidentCount.run(v.processInstanceKey, 'OPEN', v.processInstanceKey);
        audit(r, v.processInstanceKey, v.elementId);
        return;
      }
      case 'MESSAGE_SUBSCRIPTION': {
        const v = r.value;
        if (r.intent === 'CREATED')
          st.subscription.run(
            r.key,
            v.processInstanceKey,
            v.elementInstanceKey,
            v.bpmnProcessId,
            v.targetElementId,
            v.messageName,
            v.correlationKey,
            t,
            t,
          );
        else if (r.intent === 'CORRELATED') st.subscriptionCorrelated.run(t, r.key);
        else st.subscriptionDeleted.run(t, r.key);
        return;
      }
      case 'TIMER': {
        const v = r.value;
        if (r.intent === 'CREATED')
          st.timer.run(
            r.key,
            v.processInstanceKey,
            v.elementInstanceKey,
            v.bpmnProcessId,
            v.targetElementId,
            v.dueDate,
            v.repetitions,
            t,
            t,
          );
        else if (r.intent === 'TRIGGERED' || r.intent === 'CANCELED') st.timerEnded.run(r.intent, t, r.key);
        return;
      }
      case 'USER_TASK': {
        const v = r.value;
        if (r.intent === 'CREATED')
          st.userTask.run(
            r.key,
            v.processInstanceKey,
            v.elementInstanceKey,
            v.bpmnProcessId,
            v.elementId,
            v.assignee || null,
            JSON.stringify(v.candidateGroups),
            JSON.stringify(v.candidateUsers),
            v.dueDate || null,
            v.followUpDate || null,
            v.formKey || null,
            v.priority,
            t,
          );
        else if (r.intent === 'ASSIGNED') st.userTaskAssigned.run(v.assignee || null, r.key);
        else if (r.intent === 'UPDATED')
          st.userTaskUpdated.run(
            JSON.stringify(v.candidateGroups),
            JSON.stringify(v.candidateUsers),
            v.dueDate || null,
            v.followUpDate || null,
            v.priority,
            r.key,
          );
        else if (r.intent === 'MIGRATED') st.userTaskMigrated.run(v.bpmnProcessId, v.elementId, r.key);
        else if (r.intent === 'COMPLETED' || r.intent === 'CANCELED')
          st.userTaskEnded.run(r.intent, t, r.key);
        return;
      }
      case 'DECISION': {
        const v = r.value;
        if (r.intent === 'DELETED') {
          st.decisionDeleted.run(v.decisionKey);
          return;
        }
        const requirementsKey = v.decisionRequirementsKey ?? v.decisionKey;
        st.decision.run(
          v.decisionKey,
          v.decisionId,
          v.decisionName,
          v.version,
          v.decisionRequirementsId,
          requirementsKey,
          t,
        );
        st.decisionRequirements.run(
          requirementsKey,
          v.decisionRequirementsId,
          v.decisionRequirementsName ?? v.decisionRequirementsId,
          v.decisionRequirementsVersion ?? v.version,
          v.resourceName,
          v.resource,
          t,
        );
        return;
      }
      case 'DECISION_EVALUATION':
        projectEvaluation(r as LoggedRecordOf<'DECISION_EVALUATION'>);
        return;
      default:
        return;
    }
  };

  /**
   * One row per decision an evaluation evaluated (required decisions first), keyed by the evaluation's key and
   * the decision's 1-based position in it (`decisionEvaluationInstanceKey`, see decisionInstanceKey); a failed
   * evaluation adds a FAILED row for the decision that failed.
   */
  const projectEvaluation = (r: LoggedRecordOf<'DECISION_EVALUATION'>): void => {
    const v = r.value;
    const inInstance = v.processInstanceKey !== '-1' && v.processInstanceKey !== '';
    const processDefinitionKey = inInstance
      ? ((st.instanceDefinitionOf.get(v.processInstanceKey) as { key: string } | undefined)?.key ?? null)
      : null;
    const common = {
      evaluationKey: r.key,
      time: r.timestamp,
      processDefinitionKey,
      processInstanceKey: inInstance ? v.processInstanceKey : null,
      elementInstanceKey: inInstance ? v.elementInstanceKey : null,
    };
    const failed = r.intent === 'FAILED';
    v.evaluatedDecisions.forEach((d, i) => {
      st.decisionInstance.run({
        ...common,
        key: decisionInstanceKey(r.key, i + 1),
        state: 'EVALUATED',
        failure: null,
        decisionId: d.decisionId,
        decisionKey: d.decisionKey,
        decisionName: d.decisionName,
        decisionVersion: d.decisionVersion,
        decisionType: d.decisionType,
        result: JSON.stringify(d.output ?? null),
        inputs: JSON.stringify(d.evaluatedInputs),
        rules: JSON.stringify(d.matchedRules),
      });
    });
    if (!failed) return;
    const failedId = v.failedDecisionId ?? v.decisionId;
    const definition =
      failedId === v.decisionId
        ? { key: v.decisionKey, version: v.version }
        : (st.decisionKeyOf.get(v.decisionRequirementsKey ?? '', failedId) as
            { key: string; version: number } | undefined);
    st.decisionInstance.run({
      ...common,
      key: decisionInstanceKey(r.key, v.evaluatedDecisions.length + 1),
      state: 'FAILED',
      failure: v.failureMessage,
      decisionId: failedId,
      decisionKey: definition?.key ?? '-1',
      decisionName: failedId === v.decisionId ? (v.decisionName ?? failedId) : failedId,
      decisionVersion: definition?.version ?? -1,
      decisionType: 'UNSPECIFIED',
      result: 'null',
      inputs: '[]',
      rules: '[]',
    });
  };

  /** Applies a batch of one partition and moves that partition's exporter position, in one transaction. */
  const applyBatch = db.transaction((partitionId: number, records: readonly LoggedRecord[]) => {
    for (const record of records) apply(record);
    const last = records[records.length - 1];
    if (last) st.position.run(partitionId, last.position);
  });
  return { applyBatch: (partitionId, records) => applyBatch(partitionId, records) };
}

/** Job events after which the job is gone. */
const JOB_ENDS: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELED', 'ERROR_THROWN']);

const JOB_STATES: Partial<Record<string, string>> = {
  CREATED: 'ACTIVATABLE',
  COMPLETED: 'COMPLETED',
  CANCELED: 'CANCELED',
  TIMED_OUT: 'ACTIVATABLE',
  RECURRED_AFTER_BACKOFF: 'ACTIVATABLE',
  YIELDED: 'ACTIVATABLE',
  ERROR_THROWN: 'ERROR_THROWN',
};

/**
 * The key of the `index`th decision (1-based) evaluated by the evaluation `evaluationKey`: the evaluation's key
 * with the index as three more digits, a string of digits as Camunda's `decisionEvaluationInstanceKey` is.
 */
export function decisionInstanceKey(evaluationKey: string, index: number): string {
  return `${evaluationKey}${String(index).padStart(3, '0')}`;
}
