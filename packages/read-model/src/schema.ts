/** The last version written before the read model ran on PostgreSQL: its steps meet empty PostgreSQL tables. */
const BEFORE_POSTGRES = 4;

/** One step of the read model's schema, for both databases (see `READ_MODEL_MIGRATIONS`). */
export interface ReadModelMigration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}

/**
 * The read model's tables, as data (like the log store's migrations). Applied in order by `migrate` (the
 * SQLite or the PostgreSQL runner, versions in `rm_schema_migrations`); an applied version is recorded and
 * never run again. Written once, in SQLite's spelling; PostgreSQL's statements are derived (`postgresStep`).
 */
export const READ_MODEL_MIGRATIONS: readonly ReadModelMigration[] = (
  [
    {
      version: 1,
      name: 'read-model',
      sqlite: [
        `CREATE TABLE rm_exporter_position (partition_id INTEGER PRIMARY KEY, position INTEGER NOT NULL)`,
        `CREATE TABLE rm_process_definition (
        key TEXT PRIMARY KEY, bpmn_process_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT,
        resource_name TEXT NOT NULL, xml TEXT NOT NULL, deployed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)`,
        `CREATE INDEX rm_process_definition_id ON rm_process_definition (bpmn_process_id, version)`,
        `CREATE TABLE rm_process_instance (
        key TEXT PRIMARY KEY, partition_id INTEGER NOT NULL, process_definition_key TEXT NOT NULL,
        bpmn_process_id TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL,
        start_time INTEGER NOT NULL, end_time INTEGER, parent_process_instance_key TEXT,
        parent_element_instance_key TEXT, incidents INTEGER NOT NULL DEFAULT 0)`,
        `CREATE INDEX rm_process_instance_search ON rm_process_instance (bpmn_process_id, state, start_time)`,
        `CREATE INDEX rm_process_instance_start ON rm_process_instance (start_time)`,
        `CREATE TABLE rm_element_instance (
        key TEXT PRIMARY KEY, process_instance_key TEXT NOT NULL, process_definition_key TEXT NOT NULL,
        element_id TEXT NOT NULL, element_type TEXT NOT NULL, flow_scope_key TEXT NOT NULL,
        state TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER)`,
        `CREATE INDEX rm_element_instance_instance ON rm_element_instance (process_instance_key)`,
        `CREATE INDEX rm_element_instance_counts ON rm_element_instance (process_definition_key, element_id, state)`,
        `CREATE TABLE rm_variable (
        scope_key TEXT NOT NULL, name TEXT NOT NULL, process_instance_key TEXT NOT NULL,
        value TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (scope_key, name))`,
        `CREATE INDEX rm_variable_instance ON rm_variable (process_instance_key)`,
        `CREATE INDEX rm_variable_value ON rm_variable (name, value)`,
        `CREATE TABLE rm_variable_history (
        position INTEGER NOT NULL, partition_id INTEGER NOT NULL, scope_key TEXT NOT NULL, name TEXT NOT NULL,
        process_instance_key TEXT NOT NULL, value TEXT NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (partition_id, position))`,
        `CREATE TABLE rm_job (
        key TEXT PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, retries INTEGER NOT NULL, worker TEXT,
        process_instance_key TEXT NOT NULL, element_instance_key TEXT NOT NULL, element_id TEXT NOT NULL,
        error_message TEXT, deadline INTEGER, updated_at INTEGER NOT NULL)`,
        `CREATE INDEX rm_job_state ON rm_job (state, type)`,
        `CREATE TABLE rm_incident (
        key TEXT PRIMARY KEY, process_instance_key TEXT NOT NULL, process_definition_key TEXT NOT NULL,
        bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_instance_key TEXT NOT NULL,
        job_key TEXT, error_type TEXT NOT NULL, error_message TEXT NOT NULL, state TEXT NOT NULL,
        created_at INTEGER NOT NULL, resolved_at INTEGER)`,
        `CREATE INDEX rm_incident_state ON rm_incident (state, created_at)`,
        `CREATE TABLE rm_audit (
        partition_id INTEGER NOT NULL, position INTEGER NOT NULL, time INTEGER NOT NULL, value_type TEXT NOT NULL,
        intent TEXT NOT NULL, key TEXT NOT NULL, process_instance_key TEXT, element_id TEXT,
        PRIMARY KEY (partition_id, position))`,
        `CREATE INDEX rm_audit_instance ON rm_audit (process_instance_key, position)`,
      ],
    },
    {
      version: 2,
      name: 'waits-and-user-tasks',
      sqlite: [
        `CREATE TABLE rm_message_subscription (
        key TEXT PRIMARY KEY, process_instance_key TEXT NOT NULL, element_instance_key TEXT NOT NULL,
        bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, message_name TEXT NOT NULL,
        correlation_key TEXT NOT NULL, state TEXT NOT NULL, correlations INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
        `CREATE INDEX rm_message_subscription_instance ON rm_message_subscription (process_instance_key)`,
        `CREATE INDEX rm_message_subscription_name ON rm_message_subscription (message_name, state)`,
        `CREATE TABLE rm_timer (
        key TEXT PRIMARY KEY, process_instance_key TEXT NOT NULL, element_instance_key TEXT NOT NULL,
        bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, due_date INTEGER NOT NULL,
        repetitions INTEGER NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
        `CREATE INDEX rm_timer_instance ON rm_timer (process_instance_key)`,
        `CREATE INDEX rm_timer_due ON rm_timer (state, due_date)`,
        `CREATE TABLE rm_user_task (
        key TEXT PRIMARY KEY, process_instance_key TEXT NOT NULL, element_instance_key TEXT NOT NULL,
        bpmn_process_id TEXT NOT NULL, element_id TEXT NOT NULL, state TEXT NOT NULL, assignee TEXT,
        candidate_groups TEXT NOT NULL, candidate_users TEXT NOT NULL, due_date TEXT, follow_up_date TEXT,
        form_key TEXT, priority INTEGER NOT NULL, created_at INTEGER NOT NULL, completed_at INTEGER)`,
        `CREATE INDEX rm_user_task_state ON rm_user_task (state, created_at)`,
        `CREATE INDEX rm_user_task_instance ON rm_user_task (process_instance_key)`,
        `CREATE INDEX rm_process_instance_end ON rm_process_instance (end_time)`,
        `CREATE INDEX rm_job_instance ON rm_job (process_instance_key)`,
        `CREATE INDEX rm_incident_instance ON rm_incident (process_instance_key)`,
        `CREATE INDEX rm_process_instance_parent ON rm_process_instance (parent_process_instance_key)`,
        `CREATE INDEX rm_process_instance_state ON rm_process_instance (state, start_time)`,
        // Counters kept by the projections, so that heat maps and the dashboard do not scan every instance.
        `CREATE TABLE rm_element_stats (
        process_definition_key TEXT NOT NULL, element_id TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 0,
        completed INTEGER NOT NULL DEFAULT 0, terminated INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (process_definition_key, element_id))`,
        `INSERT INTO rm_element_stats (process_definition_key, element_id, active, completed, terminated)
        SELECT process_definition_key, element_id, SUM(end_time IS NULL), SUM(state = 'ELEMENT_COMPLETED'),
               SUM(state = 'ELEMENT_TERMINATED')
        FROM rm_element_instance GROUP BY process_definition_key, element_id`,
        `CREATE TABLE rm_process_stats (
        bpmn_process_id TEXT PRIMARY KEY, active INTEGER NOT NULL DEFAULT 0, completed INTEGER NOT NULL DEFAULT 0,
        terminated INTEGER NOT NULL DEFAULT 0)`,
        `INSERT INTO rm_process_stats (bpmn_process_id, active, completed, terminated)
        SELECT bpmn_process_id, SUM(state = 'ACTIVE'), SUM(state = 'COMPLETED'), SUM(state = 'TERMINATED')
        FROM rm_process_instance GROUP BY bpmn_process_id`,
      ],
    },
    {
      version: 3,
      name: 'variable-keys',
      sqlite: [
        // The key of a variable (its VARIABLE record's key, the same for every update), as the /v2 API names it.
        `ALTER TABLE rm_variable ADD COLUMN key TEXT`,
        `CREATE INDEX rm_variable_key ON rm_variable (key)`,
      ],
    },
    {
      version: 4,
      name: 'decisions-and-job-details',
      sqlite: [
        // Deployed decisions and their DRGs (one per version of a DMN resource) and every evaluated decision.
        `CREATE TABLE rm_decision_definition (
        key TEXT PRIMARY KEY, decision_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
        decision_requirements_id TEXT NOT NULL, decision_requirements_key TEXT NOT NULL,
        deployed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)`,
        `CREATE INDEX rm_decision_definition_id ON rm_decision_definition (decision_id, version)`,
        `CREATE TABLE rm_decision_requirements (
        key TEXT PRIMARY KEY, decision_requirements_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
        resource_name TEXT NOT NULL, xml TEXT NOT NULL, deployed_at INTEGER NOT NULL)`,
        `CREATE TABLE rm_decision_instance (
        key TEXT PRIMARY KEY, evaluation_key TEXT NOT NULL, state TEXT NOT NULL, evaluated_at INTEGER NOT NULL,
        failure TEXT, decision_id TEXT NOT NULL, decision_key TEXT NOT NULL, decision_name TEXT NOT NULL,
        decision_version INTEGER NOT NULL, decision_type TEXT NOT NULL, result TEXT NOT NULL,
        evaluated_inputs TEXT NOT NULL, matched_rules TEXT NOT NULL, process_definition_key TEXT,
        process_instance_key TEXT, element_instance_key TEXT)`,
        `CREATE INDEX rm_decision_instance_evaluation ON rm_decision_instance (evaluation_key)`,
        `CREATE INDEX rm_decision_instance_time ON rm_decision_instance (evaluated_at)`,
        // What the /v2 job search shows beyond the cockpit's columns (kept by a second statement per job event).
        `ALTER TABLE rm_job ADD COLUMN process_definition_key TEXT`,
        `ALTER TABLE rm_job ADD COLUMN bpmn_process_id TEXT`,
        `ALTER TABLE rm_job ADD COLUMN custom_headers TEXT`,
        `ALTER TABLE rm_job ADD COLUMN error_code TEXT`,
        `ALTER TABLE rm_job ADD COLUMN end_time INTEGER`,
      ],
    },
  ] satisfies { version: number; name: string; sqlite: string[] }[]
).map((step) => ({ ...step, postgres: postgresStep(step.version, step.sqlite) }));

/**
 * A step's statements for PostgreSQL: tables in the migration's `{schema}`, 64-bit integers (epoch
 * milliseconds, positions, counters), text compared and sorted byte by byte as SQLite does (collation "C").
 * The statements of the first steps that fill new counter tables from existing rows are left out: on
 * PostgreSQL those steps all run on a new schema (nothing to count), and their SQL is SQLite's.
 */
function postgresStep(version: number, statements: readonly string[]): string[] {
  return statements
    .filter((statement) => version > BEFORE_POSTGRES || !statement.startsWith('INSERT INTO'))
    .map((statement) =>
      statement
        .replace(/\b(CREATE TABLE|CREATE INDEX \w+ ON|ALTER TABLE) rm_/g, '$1 {schema}.rm_')
        .replace(/\bINTEGER\b/g, 'BIGINT')
        .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"'),
    );
}
