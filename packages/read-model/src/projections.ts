import type { JobRecordValue, LoggedRecord, LoggedRecordOf } from '@baton-engine/engine';
import { changeMessages, changeOf } from './changes.js';
import type { ReadModelChange } from './changes.js';
import type { ReadModelDatabase, Row, SqlExecutor, SqlValue, SyncSqlExecutor } from './database.js';

/** A counters row's upsert: the counts given are added to the row's. */
const PROCESS_STATS_ADDED = `ON CONFLICT (bpmn_process_id) DO UPDATE SET active = rm_process_stats.active + excluded.active,
      completed = rm_process_stats.completed + excluded.completed, terminated = rm_process_stats.terminated + excluded.terminated`;
const ELEMENT_STATS_ADDED = `ON CONFLICT (process_definition_key, element_id) DO UPDATE SET active = rm_element_stats.active + excluded.active,
      completed = rm_element_stats.completed + excluded.completed, terminated = rm_element_stats.terminated + excluded.terminated`;

/**
 * The statements that project records onto the read-model tables (shared SQL, see database.ts). None needs
 * the result of another (a counter changes with a condition on the row, in the counter's own statement), so
 * that a batch's statements can be sent together (`SqlExecutor.defer`); only the rare reads (`get`) wait.
 */
const st = {
  positionRow:
    'INSERT INTO rm_exporter_position (partition_id, position) VALUES (?, 0) ON CONFLICT DO NOTHING',
  positionOf: 'SELECT position FROM rm_exporter_position WHERE partition_id = ?',
  position: 'UPDATE rm_exporter_position SET position = ? WHERE partition_id = ?',
  definition: `INSERT INTO rm_process_definition (key, bpmn_process_id, version, name, resource_name, xml, deployed_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
    ON CONFLICT (key) DO UPDATE SET bpmn_process_id = excluded.bpmn_process_id, version = excluded.version, name = excluded.name,
      resource_name = excluded.resource_name, xml = excluded.xml, deployed_at = excluded.deployed_at, deleted = 0`,
  definitionDeleted: 'UPDATE rm_process_definition SET deleted = 1 WHERE key = ?',
  instance: `INSERT INTO rm_process_instance (key, partition_id, process_definition_key, bpmn_process_id, version, state, start_time, parent_process_instance_key, parent_element_instance_key) VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?) ON CONFLICT DO NOTHING`,
  instanceEnded: 'UPDATE rm_process_instance SET state = ?, end_time = ? WHERE key = ? AND end_time IS NULL',
  instanceRow:
    'SELECT bpmn_process_id AS "bpmnProcessId", end_time IS NOT NULL AS ended FROM rm_process_instance WHERE key = ?',
  processStats: `INSERT INTO rm_process_stats (bpmn_process_id, active, completed, terminated) VALUES (?, ?, ?, ?)
    ${PROCESS_STATS_ADDED}`,
  // Counted when the instance's row is not there yet (before its INSERT), or is there and open (before its end).
  processStatsStarted: `INSERT INTO rm_process_stats (bpmn_process_id, active, completed, terminated) SELECT ?, 1, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM rm_process_instance WHERE key = ?) ${PROCESS_STATS_ADDED}`,
  processStatsEnded: `INSERT INTO rm_process_stats (bpmn_process_id, active, completed, terminated) SELECT ?, -1, ?, ?
    WHERE EXISTS (SELECT 1 FROM rm_process_instance WHERE key = ? AND end_time IS NULL) ${PROCESS_STATS_ADDED}`,
  instanceMigrated:
    'UPDATE rm_process_instance SET process_definition_key = ?, bpmn_process_id = ?, version = ? WHERE key = ?',
  elementState: 'UPDATE rm_element_instance SET state = ? WHERE key = ?',
  elementEnded: 'UPDATE rm_element_instance SET state = ?, end_time = ? WHERE key = ? AND end_time IS NULL',
  elementRow:
    'SELECT process_definition_key AS "processDefinitionKey", element_id AS "elementId", end_time IS NOT NULL AS ended FROM rm_element_instance WHERE key = ?',
  elementStats: `INSERT INTO rm_element_stats (process_definition_key, element_id, active, completed, terminated) VALUES (?, ?, ?, ?, ?)
    ${ELEMENT_STATS_ADDED}`,
  elementStatsEnded: `INSERT INTO rm_element_stats (process_definition_key, element_id, active, completed, terminated) SELECT ?, ?, -1, ?, ?
    WHERE EXISTS (SELECT 1 FROM rm_element_instance WHERE key = ? AND end_time IS NULL) ${ELEMENT_STATS_ADDED}`,
  elementMigrated: 'UPDATE rm_element_instance SET process_definition_key = ?, element_id = ? WHERE key = ?',
  variable: `INSERT INTO rm_variable (scope_key, name, process_instance_key, value, updated_at, key) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_key, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, key = COALESCE(rm_variable.key, excluded.key)`,
  variableHistory:
    'INSERT INTO rm_variable_history (position, partition_id, scope_key, name, process_instance_key, value, time) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  jobRetries: 'UPDATE rm_job SET retries = ?, updated_at = ? WHERE key = ?',
  jobDeadline: 'UPDATE rm_job SET deadline = ?, updated_at = ? WHERE key = ?',
  jobMigrated: 'UPDATE rm_job SET element_id = ?, updated_at = ? WHERE key = ?',
  incidentMigrated:
    'UPDATE rm_incident SET process_definition_key = ?, bpmn_process_id = ?, element_id = ? WHERE key = ?',
  userTaskMigrated: 'UPDATE rm_user_task SET bpmn_process_id = ?, element_id = ? WHERE key = ?',
  // Every column. A job whose thrown error ended its element stays ERROR_THROWN when the element cancels it.
  jobs: {
    head: 'INSERT INTO rm_job (key, type, state, retries, worker, process_instance_key, element_instance_key, element_id, error_message, deadline, updated_at, process_definition_key, bpmn_process_id, custom_headers, error_code, end_time) VALUES',
    tail: `ON CONFLICT (key) DO UPDATE SET type = excluded.type, state = excluded.state, retries = excluded.retries, worker = excluded.worker,
      process_instance_key = excluded.process_instance_key, element_instance_key = excluded.element_instance_key,
      element_id = excluded.element_id, error_message = excluded.error_message, deadline = excluded.deadline,
      updated_at = excluded.updated_at, process_definition_key = excluded.process_definition_key,
      bpmn_process_id = excluded.bpmn_process_id, custom_headers = excluded.custom_headers, error_code = excluded.error_code,
      end_time = excluded.end_time
    WHERE NOT (rm_job.state = 'ERROR_THROWN' AND excluded.state = 'CANCELED')`,
  },
  incident: `INSERT INTO rm_incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key, job_key, error_type, error_message, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?) ON CONFLICT DO NOTHING`,
  incidentResolved: `UPDATE rm_incident SET state = 'RESOLVED', resolved_at = ? WHERE key = ? AND state = 'OPEN'`,
  incidentCount:
    'UPDATE rm_process_instance SET incidents = (SELECT COUNT(*) FROM rm_incident WHERE process_instance_key = ? AND state = ?) WHERE key = ?',
  subscription: `INSERT INTO rm_message_subscription (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, message_name, correlation_key, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?) ON CONFLICT DO NOTHING`,
  subscriptionCorrelated:
    'UPDATE rm_message_subscription SET correlations = correlations + 1, updated_at = ? WHERE key = ?',
  subscriptionDeleted: `UPDATE rm_message_subscription SET state = 'CLOSED', updated_at = ? WHERE key = ?`,
  timer: `INSERT INTO rm_timer (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, due_date, repetitions, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?) ON CONFLICT DO NOTHING`,
  timerEnded: 'UPDATE rm_timer SET state = ?, updated_at = ? WHERE key = ?',
  userTask: `INSERT INTO rm_user_task (key, process_instance_key, element_instance_key, bpmn_process_id, element_id, state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, form_key, priority, created_at) VALUES (?, ?, ?, ?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  userTaskAssigned: 'UPDATE rm_user_task SET assignee = ? WHERE key = ?',
  userTaskUpdated:
    'UPDATE rm_user_task SET candidate_groups = ?, candidate_users = ?, due_date = ?, follow_up_date = ?, priority = ? WHERE key = ?',
  decision: `INSERT INTO rm_decision_definition (key, decision_id, name, version, decision_requirements_id, decision_requirements_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  decisionDeleted: 'UPDATE rm_decision_definition SET deleted = 1 WHERE key = ?',
  decisionRequirements: `INSERT INTO rm_decision_requirements (key, decision_requirements_id, name, version, resource_name, xml, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  decisionKeyOf:
    'SELECT key, version FROM rm_decision_definition WHERE decision_requirements_key = ? AND decision_id = ?',
  decisionInstance: `INSERT INTO rm_decision_instance (key, evaluation_key, state, evaluated_at, failure, decision_id, decision_key, decision_name, decision_version, decision_type, result, evaluated_inputs, matched_rules, process_definition_key, process_instance_key, element_instance_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  instanceDefinitionOf: 'SELECT process_definition_key AS key FROM rm_process_instance WHERE key = ?',
  userTaskEnded: 'UPDATE rm_user_task SET state = ?, completed_at = ? WHERE key = ?',
  // Element instances activated in a batch, and their counters, are inserted together (see `newElements`).
  elements: {
    head: 'INSERT INTO rm_element_instance (key, process_instance_key, process_definition_key, element_id, element_type, flow_scope_key, state, start_time, end_time) VALUES',
    tail: 'ON CONFLICT DO NOTHING',
  },
  elementCounts: {
    head: 'INSERT INTO rm_element_stats (process_definition_key, element_id, active, completed, terminated) VALUES',
    tail: ELEMENT_STATS_ADDED,
  },
  // Rows of the audit trail are inserted together at the end of a batch (see `rows`).
  audit: {
    head: 'INSERT INTO rm_audit (partition_id, position, time, value_type, intent, key, process_instance_key, element_id) VALUES',
    tail: 'ON CONFLICT DO NOTHING',
  },
};

/**
 * Applies records of one partition to the tables (in the caller's transaction, which also moves the
 * partition's position: see `applyBatch`).
 */
function* applyRecords(records: readonly LoggedRecord[]): Projection<void> {
  const countInstance = (id: string, active: number, completed: number, terminated: number) =>
    run(st.processStats, id, active, completed, terminated);
  const countElement = (
    definition: string,
    element: string,
    active: number,
    completed: number,
    terminated: number,
  ) => run(st.elementStats, definition, element, active, completed, terminated);

  /** A job's row, written whole. */
  /**
   * The jobs this batch writes, each as its last row (`st.jobs` writes every column), written together at the
   * end (or before a statement that changes a job's columns, or a read).
   */
  const jobRows = new Map<string, SqlValue[]>();
  const job = (
    key: string,
    v: JobRecordValue,
    state: string,
    worker: string | null,
    t: number,
    endTime: number | null,
  ) => {
    // As the upsert's WHERE does with the row in the table.
    if (state === 'CANCELED' && jobRows.get(key)?.[2] === 'ERROR_THROWN') return;
    jobRows.set(key, [
      key,
      v.type,
      state,
      v.retries,
      worker,
      v.processInstanceKey,
      v.elementInstanceKey,
      v.elementId,
      v.errorMessage || null,
      v.deadline,
      t,
      v.processDefinitionKey,
      v.bpmnProcessId,
      JSON.stringify(v.customHeaders ?? {}),
      v.errorCode || null,
      endTime,
    ]);
  };

  /** The audit trail's rows of the batch, written at its end: nothing in the batch reads them. */
  const auditRows: SqlValue[][] = [];
  /** One line of the audit trail: what happened to which instance and element, when. */
  const audit = (r: LoggedRecord, processInstanceKey: string, elementId: string) =>
    auditRows.push([
      r.partitionId,
      r.position,
      r.timestamp,
      r.valueType,
      r.intent,
      r.key,
      processInstanceKey,
      elementId,
    ]);

  /**
   * The element instances activated in this batch, as rows (the columns of `st.elements`), kept up to date
   * here by the batch's later records and written together (`writePending`), with their counters: an element's
   * ACTIVATING, ACTIVATED, COMPLETING and COMPLETED in one batch are one row of a multi-row INSERT, not six
   * statements. An element instance's key is activated once in the log, and each record is applied once
   * (the partition's position), so such a row is never in the tables already.
   */
  const newElements = new Map<string, SqlValue[]>();
  /** What the new rows add to the element counters: per definition and element, [active, completed, terminated]. */
  const newCounts = new Map<string, [string, string, number, number, number]>();
  const countNew = (
    definition: string,
    element: string,
    active: number,
    completed: number,
    terminated: number,
  ) => {
    const key = JSON.stringify([definition, element]);
    const counts = newCounts.get(key);
    if (counts) {
      counts[2] += active;
      counts[3] += completed;
      counts[4] += terminated;
    } else newCounts.set(key, [definition, element, active, completed, terminated]);
  };
  /**
   * Writes the new element instances with their counters, and the jobs (before a read, which may look at
   * them, and at the end).
   */
  function* writePending(): Projection<void> {
    yield* rows(st.elements, [...newElements.values()]);
    yield* rows(st.elementCounts, [...newCounts.values()]);
    yield* rows(st.jobs, [...jobRows.values()]);
    newElements.clear();
    newCounts.clear();
    jobRows.clear();
  }
  /** A read, after the new element instances are written. */
  function* read<T extends Row>(sql: string, ...params: SqlValue[]): Projection<T | undefined> {
    yield* writePending();
    return yield* get<T>(sql, ...params);
  }

  /** Applies one committed record (events only) to the tables. */
  function* apply(r: LoggedRecord): Projection<void> {
    if (r.recordType !== 'EVENT') return;
    const t = r.timestamp;
    switch (r.valueType) {
      case 'PROCESS':
        if (r.intent === 'CREATED') {
          const v = r.value;
          yield* run(
            st.definition,
            v.processDefinitionKey,
            v.bpmnProcessId,
            v.version,
            v.executable.name ?? null,
            v.resourceName,
            v.resource,
            t,
          );
        } else yield* run(st.definitionDeleted, r.value.processDefinitionKey);
        return;
      case 'PROCESS_INSTANCE': {
        const v = r.value;
        audit(r, v.processInstanceKey, v.elementId);
        const isProcess = v.flowScopeKey === '-1';
        switch (r.intent) {
          case 'ELEMENT_ACTIVATING':
            if (isProcess) {
              yield* run(st.processStatsStarted, v.bpmnProcessId, r.key);
              yield* run(
                st.instance,
                r.key,
                r.partitionId,
                v.processDefinitionKey,
                v.bpmnProcessId,
                v.version,
                t,
                v.parentProcessInstanceKey,
                v.parentElementInstanceKey,
              );
            } else {
              newElements.set(r.key, [
                r.key,
                v.processInstanceKey,
                v.processDefinitionKey,
                v.elementId,
                v.bpmnElementType,
                v.flowScopeKey,
                'ELEMENT_ACTIVATING',
                t,
                null,
              ]);
              countNew(v.processDefinitionKey, v.elementId, 1, 0, 0);
            }
            return;
          case 'ELEMENT_ACTIVATED':
          case 'ELEMENT_COMPLETING':
          case 'ELEMENT_TERMINATING': {
            if (isProcess) return;
            const row = newElements.get(r.key);
            if (row) row[6] = r.intent;
            else yield* run(st.elementState, r.intent, r.key);
            return;
          }
          case 'ELEMENT_COMPLETED':
          case 'ELEMENT_TERMINATED': {
            const completed = r.intent === 'ELEMENT_COMPLETED' ? 1 : 0;
            // The counter first: it moves only while the row is open.
            if (isProcess) {
              yield* run(st.processStatsEnded, v.bpmnProcessId, completed, 1 - completed, r.key);
              yield* run(st.instanceEnded, completed ? 'COMPLETED' : 'TERMINATED', t, r.key);
            } else if (newElements.has(r.key)) {
              const row = newElements.get(r.key)!;
              if (row[8] !== null) return; // ended already: as the UPDATE's end_time IS NULL would
              row[6] = r.intent;
              row[8] = t;
              countNew(v.processDefinitionKey, v.elementId, -1, completed, 1 - completed);
            } else {
              yield* run(
                st.elementStatsEnded,
                v.processDefinitionKey,
                v.elementId,
                completed,
                1 - completed,
                r.key,
              );
              yield* run(st.elementEnded, r.intent, t, r.key);
            }
            return;
          }
          case 'ELEMENT_MIGRATED': {
            // Counters follow the instance: it is active under its new definition now.
            if (isProcess) {
              const before = yield* read<{ bpmnProcessId: string; ended: number | boolean }>(
                st.instanceRow,
                r.key,
              );
              yield* run(st.instanceMigrated, v.processDefinitionKey, v.bpmnProcessId, v.version, r.key);
              if (before && !before.ended) {
                yield* countInstance(before.bpmnProcessId, -1, 0, 0);
                yield* countInstance(v.bpmnProcessId, 1, 0, 0);
              }
            } else {
              const before = yield* read<{
                processDefinitionKey: string;
                elementId: string;
                ended: number | boolean;
              }>(st.elementRow, r.key);
              yield* run(st.elementMigrated, v.processDefinitionKey, v.elementId, r.key);
              if (before && !before.ended) {
                yield* countElement(before.processDefinitionKey, before.elementId, -1, 0, 0);
                yield* countElement(v.processDefinitionKey, v.elementId, 1, 0, 0);
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
        yield* run(st.variable, v.scopeKey, v.name, v.processInstanceKey, value, t, r.key);
        yield* run(
          st.variableHistory,
          r.position,
          r.partitionId,
          v.scopeKey,
          v.name,
          v.processInstanceKey,
          value,
          t,
        );
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
        if (jobRows.has(r.key) && JOB_COLUMN_CHANGES.has(r.intent)) yield* writePending();
        if (r.intent === 'RETRIES_UPDATED') yield* run(st.jobRetries, v.retries, t, r.key);
        if (r.intent === 'TIMEOUT_UPDATED') yield* run(st.jobDeadline, v.deadline, t, r.key);
        if (r.intent === 'MIGRATED') yield* run(st.jobMigrated, v.elementId, t, r.key);
        // A job the thrown error of its element ended stays ERROR_THROWN when it is canceled (st.job).
        if (state) job(r.key, v, state, v.worker || null, t, JOB_ENDS.has(r.intent) ? t : null);
        audit(r, v.processInstanceKey, v.elementId);
        return;
      }
      case 'JOB_BATCH':
        for (const activated of r.value.jobs)
          job(activated.key, activated, 'ACTIVATED', activated.worker, t, null);
        return;
      case 'INCIDENT': {
        const v = r.value;
        if (r.intent === 'CREATED') {
          yield* run(
            st.incident,
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
        } else if (r.intent === 'RESOLVED') yield* run(st.incidentResolved, t, r.key);
        else if (r.intent === 'MIGRATED')
          yield* run(st.incidentMigrated, v.processDefinitionKey, v.bpmnProcessId, v.elementId, r.key);
        yield* run(st.incidentCount, v.processInstanceKey, 'OPEN', v.processInstanceKey);
        audit(r, v.processInstanceKey, v.elementId);
        return;
      }
      case 'MESSAGE_SUBSCRIPTION': {
        const v = r.value;
        if (r.intent === 'CREATED')
          yield* run(
            st.subscription,
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
        else if (r.intent === 'CORRELATED') yield* run(st.subscriptionCorrelated, t, r.key);
        else yield* run(st.subscriptionDeleted, t, r.key);
        return;
      }
      case 'TIMER': {
        const v = r.value;
        if (r.intent === 'CREATED')
          yield* run(
            st.timer,
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
        else if (r.intent === 'TRIGGERED' || r.intent === 'CANCELED')
          yield* run(st.timerEnded, r.intent, t, r.key);
        return;
      }
      case 'USER_TASK': {
        const v = r.value;
        if (r.intent === 'CREATED')
          yield* run(
            st.userTask,
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
        else if (r.intent === 'ASSIGNED') yield* run(st.userTaskAssigned, v.assignee || null, r.key);
        else if (r.intent === 'UPDATED')
          yield* run(
            st.userTaskUpdated,
            JSON.stringify(v.candidateGroups),
            JSON.stringify(v.candidateUsers),
            v.dueDate || null,
            v.followUpDate || null,
            v.priority,
            r.key,
          );
        else if (r.intent === 'MIGRATED')
          yield* run(st.userTaskMigrated, v.bpmnProcessId, v.elementId, r.key);
        else if (r.intent === 'COMPLETED' || r.intent === 'CANCELED')
          yield* run(st.userTaskEnded, r.intent, t, r.key);
        return;
      }
      case 'DECISION': {
        const v = r.value;
        if (r.intent === 'DELETED') {
          yield* run(st.decisionDeleted, v.decisionKey);
          return;
        }
        const requirementsKey = v.decisionRequirementsKey ?? v.decisionKey;
        yield* run(
          st.decision,
          v.decisionKey,
          v.decisionId,
          v.decisionName,
          v.version,
          v.decisionRequirementsId,
          requirementsKey,
          t,
        );
        yield* run(
          st.decisionRequirements,
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
        yield* projectEvaluation(r as LoggedRecordOf<'DECISION_EVALUATION'>);
        return;
      default:
        return;
    }
  }

  /**
   * One row per decision an evaluation evaluated (required decisions first), keyed by the evaluation's key and
   * the decision's 1-based position in it (`decisionEvaluationInstanceKey`, see decisionInstanceKey); a failed
   * evaluation adds a FAILED row for the decision that failed.
   */
  function* projectEvaluation(r: LoggedRecordOf<'DECISION_EVALUATION'>): Projection<void> {
    const v = r.value;
    const inInstance = v.processInstanceKey !== '-1' && v.processInstanceKey !== '';
    const processDefinitionKey = inInstance
      ? ((yield* read<{ key: string }>(st.instanceDefinitionOf, v.processInstanceKey))?.key ?? null)
      : null;
    const evaluation = r.key;
    const processInstanceKey = inInstance ? v.processInstanceKey : null;
    const elementInstanceKey = inInstance ? v.elementInstanceKey : null;
    /** One row; the columns in the order of `st.decisionInstance`. */
    const row = (
      index: number,
      state: string,
      failure: string | null,
      decision: [id: string, key: string, name: string, version: number, type: string],
      result: string,
      inputs: string,
      rules: string,
    ) =>
      run(
        st.decisionInstance,
        decisionInstanceKey(evaluation, index),
        evaluation,
        state,
        r.timestamp,
        failure,
        ...decision,
        result,
        inputs,
        rules,
        processDefinitionKey,
        processInstanceKey,
        elementInstanceKey,
      );
    for (const [i, d] of v.evaluatedDecisions.entries()) {
      yield* row(
        i + 1,
        'EVALUATED',
        null,
        [d.decisionId, d.decisionKey, d.decisionName, d.decisionVersion, d.decisionType],
        JSON.stringify(d.output ?? null),
        JSON.stringify(d.evaluatedInputs),
        JSON.stringify(d.matchedRules),
      );
    }
    if (r.intent !== 'FAILED') return;
    const failedId = v.failedDecisionId ?? v.decisionId;
    const definition =
      failedId === v.decisionId
        ? { key: v.decisionKey, version: v.version }
        : yield* read<{ key: string; version: number }>(
            st.decisionKeyOf,
            v.decisionRequirementsKey ?? '',
            failedId,
          );
    yield* row(
      v.evaluatedDecisions.length + 1,
      'FAILED',
      v.failureMessage,
      [
        failedId,
        definition?.key ?? '-1',
        failedId === v.decisionId ? (v.decisionName ?? failedId) : failedId,
        definition?.version ?? -1,
        'UNSPECIFIED',
      ],
      'null',
      '[]',
      '[]',
    );
  }

  for (const record of records) yield* apply(record);
  yield* writePending();
  yield* rows(st.audit, auditRows);
}

/** Row counts of the multi-row INSERTs `rows` writes: few statement texts, each prepared once (PostgreSQL). */
const ROW_CHUNKS = [256, 64, 16, 4, 1];
/** Per statement head and row count, its text. */
const multiRowTexts = new Map<string, string>();

/**
 * Rows inserted with multi-row statements (`head` VALUES (…), (…) `tail`): 256 rows at a time, the rest in
 * smaller chunks, so that a batch's rows of one table cost a few statements.
 */
function* rows(statement: { head: string; tail: string }, values: readonly SqlValue[][]): Projection<void> {
  let at = 0;
  for (const size of ROW_CHUNKS) {
    for (; values.length - at >= size; at += size) {
      const chunk = values.slice(at, at + size);
      const key = `${size} ${statement.head}`;
      let sql = multiRowTexts.get(key);
      if (sql === undefined) {
        const row = `(${chunk[0]!.map(() => '?').join(', ')})`;
        sql = `${statement.head} ${Array.from({ length: size }, () => row).join(', ')} ${statement.tail}`;
        multiRowTexts.set(key, sql);
      }
      yield* run(sql, ...chunk.flat());
    }
  }
}

/**
 * One statement of a projection: one that changes rows (its result is not needed), or a read, which the
 * driver answers with the row.
 */
interface Statement {
  readonly kind: 'run' | 'get';
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * Projections are generators of statements, so that they are written once and run on either database: on
 * SQLite synchronously (a batch is in the tables when the engine's commit is done, as before), on
 * PostgreSQL the changes queued (`defer`) and sent together with the next read or the commit.
 */
type Projection<T> = Generator<Statement, T, unknown>;

function* run(sql: string, ...params: SqlValue[]): Projection<void> {
  yield { kind: 'run', sql, params };
}

function* get<T extends Row>(sql: string, ...params: SqlValue[]): Projection<T | undefined> {
  return (yield { kind: 'get', sql, params }) as T | undefined;
}

/** Runs a projection on a database that answers at once. */
function runSync<T>(tx: SyncSqlExecutor, projection: Projection<T>): T {
  let step = projection.next();
  while (!step.done) {
    const s = step.value;
    if (s.kind === 'run') {
      tx.run(s.sql, s.params);
      step = projection.next();
    } else step = projection.next(tx.get(s.sql, s.params));
  }
  return step.value;
}

/** Runs a projection on an asynchronous database: changes deferred where it can, reads awaited. */
async function runAsync<T>(tx: SqlExecutor, projection: Projection<T>): Promise<T> {
  let step = projection.next();
  while (!step.done) {
    const s = step.value;
    if (s.kind === 'run') {
      const sent = tx.defer ? tx.defer(s.sql, s.params) : tx.run(s.sql, s.params);
      if (sent) await sent;
      step = projection.next();
    } else step = projection.next(await tx.get(s.sql, s.params));
  }
  return step.value;
}

/**
 * What a batch did: the records applied (none when all were there already), what they changed, and the
 * position held after it.
 */
export interface BatchResult {
  readonly applied: readonly LoggedRecord[];
  readonly change: ReadModelChange | undefined;
  readonly position: number;
}

/**
 * Applies a batch of one partition in one transaction with the partition's position, and only what follows
 * that position: the position row is read (and locked, on PostgreSQL) first, records at or before it are
 * skipped (a deposed leader's late batch, or one applied before a crash), and a batch that would leave a
 * gap after it is refused. So whichever node applies a partition's records, each is applied once, in order,
 * and the position never moves back. On SQLite it runs synchronously (the result is not a promise).
 */
export function applyBatch(
  db: ReadModelDatabase,
  partitionId: number,
  records: readonly LoggedRecord[],
  origin: string,
): BatchResult | Promise<BatchResult> {
  const projection = () => batch(db, partitionId, records, origin);
  if (db.sync) return db.sync.transaction((tx) => runSync(tx, projection()));
  return db.transaction((tx) => runAsync(tx, projection()));
}

function* batch(
  db: ReadModelDatabase,
  partitionId: number,
  records: readonly LoggedRecord[],
  origin: string,
): Projection<BatchResult> {
  const { dialect, changes } = db;
  yield* run(st.positionRow, partitionId);
  const row = yield* get<{ position: number }>(st.positionOf + dialect.lockRow, partitionId);
  const stored = Number(row?.position ?? 0);
  const fresh = records.filter((r) => r.position > stored);
  const first = fresh[0];
  if (!first) return { applied: fresh, change: undefined, position: stored };
  // Nothing stored yet: the log may start later (compacted before the read model was added).
  if (stored > 0 && first.position !== stored + 1)
    throw new Error(
      `read model: partition ${partitionId}'s batch starts at position ${first.position}, but the tables hold ` +
        `the records up to ${stored}: applying it would skip ${first.position - stored - 1} record(s)`,
    );
  yield* applyRecords(fresh);
  const last = fresh[fresh.length - 1]!.position;
  yield* run(st.position, last, partitionId);
  const change = changeOf(partitionId, fresh);
  // Told to the other nodes when this transaction commits (this node tells its own listeners itself).
  if (changes)
    for (const message of changeMessages(origin, change)) {
      const { sql, params } = changes.announce(message);
      yield* run(sql, ...params);
    }
  return { applied: fresh, change, position: last };
}

/** The position the tables hold for a partition (0 when none of its records were applied). */
export async function storedPosition(db: ReadModelDatabase, partitionId: number): Promise<number> {
  const row = await db.get<{ position: number }>(st.positionOf, [partitionId]);
  return Number(row?.position ?? 0);
}

/** Job events that change some of a job's columns with a statement of their own. */
const JOB_COLUMN_CHANGES: ReadonlySet<string> = new Set(['RETRIES_UPDATED', 'TIMEOUT_UPDATED', 'MIGRATED']);

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
