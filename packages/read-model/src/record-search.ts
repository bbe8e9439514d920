import { BatonError } from '@baton-engine/baton';
import type { ReadModelDatabase, SqlDialect, SqlValue } from './database.js';

/**
 * Searches over the read model in the shape of Camunda's `/v2` search requests: conditions on named fields
 * (the API's field names), several sort fields, offset and limit. Column SQL lives only here; callers name
 * fields, which are checked against the resource's list, and every value is a bound parameter.
 */
export type FieldKind = 'key' | 'string' | 'integer' | 'date' | 'boolean';

export type FilterOperator =
  '$eq' | '$neq' | '$exists' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$notIn' | '$like';

export interface FieldCondition {
  readonly field: string;
  readonly op: FilterOperator;
  /** A string, number or boolean; an array for `$in`/`$notIn`; a boolean for `$exists`. Dates: ISO 8601. */
  readonly value: unknown;
}

export interface RecordQuery {
  readonly conditions?: readonly FieldCondition[];
  /** Alternatives: a row matches when it matches every condition of at least one group (`$or`). */
  readonly anyOf?: readonly (readonly FieldCondition[])[];
  readonly sort?: readonly { readonly field: string; readonly order: 'ASC' | 'DESC' }[];
  readonly offset?: number;
  readonly limit?: number;
}

/** Rows with the resource's fields by name; dates as epoch milliseconds, absent values as null. */
export interface RecordPage {
  readonly items: Record<string, unknown>[];
  readonly total: number;
}

interface FieldSpec {
  readonly sql: string;
  readonly kind: FieldKind;
}

interface ResourceSpec {
  /** The table, aliased `t` in every field's SQL. */
  readonly table: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Always applied (e.g. deleted definitions are not found). */
  readonly where?: string;
  /** The last sort criterion, so that pages are stable. */
  readonly tieBreaker: string;
}

const key = (sql: string): FieldSpec => ({ sql, kind: 'key' });
const str = (sql: string): FieldSpec => ({ sql, kind: 'string' });
const int = (sql: string): FieldSpec => ({ sql, kind: 'integer' });
const date = (sql: string): FieldSpec => ({ sql, kind: 'date' });
const bool = (sql: string): FieldSpec => ({ sql, kind: 'boolean' });

/** The searchable resources and their fields, named as Camunda's REST API (8.8) names them. */
export const SEARCH_RESOURCES = {
  processDefinition: {
    table: 'rm_process_definition',
    where: 't.deleted = 0',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      processDefinitionKey: key('t.key'),
      processDefinitionId: str('t.bpmn_process_id'),
      name: str('t.name'),
      version: int('t.version'),
      resourceName: str('t.resource_name'),
      deployedAt: date('t.deployed_at'),
      isLatestVersion: bool(
        't.version = (SELECT MAX(d.version) FROM rm_process_definition d WHERE d.bpmn_process_id = t.bpmn_process_id AND d.deleted = 0)',
      ),
    },
  },
  processInstance: {
    table: 'rm_process_instance',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      processInstanceKey: key('t.key'),
      processDefinitionId: str('t.bpmn_process_id'),
      processDefinitionKey: key('t.process_definition_key'),
      processDefinitionVersion: int('t.version'),
      processDefinitionName: str(
        '(SELECT d.name FROM rm_process_definition d WHERE d.key = t.process_definition_key)',
      ),
      state: str('t.state'),
      startDate: date('t.start_time'),
      endDate: date('t.end_time'),
      parentProcessInstanceKey: key('t.parent_process_instance_key'),
      parentElementInstanceKey: key('t.parent_element_instance_key'),
      hasIncident: bool('t.incidents > 0'),
      partitionId: int('t.partition_id'),
    },
  },
  elementInstance: {
    table: 'rm_element_instance',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      elementInstanceKey: key('t.key'),
      processInstanceKey: key('t.process_instance_key'),
      processDefinitionKey: key('t.process_definition_key'),
      processDefinitionId: str(
        '(SELECT p.bpmn_process_id FROM rm_process_instance p WHERE p.key = t.process_instance_key)',
      ),
      elementId: str('t.element_id'),
      type: str('t.element_type'),
      flowScopeKey: key('t.flow_scope_key'),
      state: str(
        "CASE t.state WHEN 'ELEMENT_COMPLETED' THEN 'COMPLETED' WHEN 'ELEMENT_TERMINATED' THEN 'TERMINATED' ELSE 'ACTIVE' END",
      ),
      startDate: date('t.start_time'),
      endDate: date('t.end_time'),
      incidentKey: key(
        "(SELECT i.key FROM rm_incident i WHERE i.element_instance_key = t.key AND i.state = 'OPEN' LIMIT 1)",
      ),
      hasIncident: bool(
        "EXISTS (SELECT 1 FROM rm_incident i WHERE i.element_instance_key = t.key AND i.state = 'OPEN')",
      ),
    },
  },
  incident: {
    table: 'rm_incident',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      incidentKey: key('t.key'),
      processDefinitionKey: key('t.process_definition_key'),
      processDefinitionId: str('t.bpmn_process_id'),
      processInstanceKey: key('t.process_instance_key'),
      errorType: str('t.error_type'),
      errorMessage: str('t.error_message'),
      elementId: str('t.element_id'),
      elementInstanceKey: key('t.element_instance_key'),
      creationTime: date('t.created_at'),
      state: str("CASE t.state WHEN 'OPEN' THEN 'ACTIVE' ELSE t.state END"),
      jobKey: key('t.job_key'),
    },
  },
  variable: {
    table: 'rm_variable',
    tieBreaker: 't.scope_key, t.name',
    fields: {
      variableKey: key('t.key'),
      name: str('t.name'),
      value: str('t.value'),
      processInstanceKey: key('t.process_instance_key'),
      scopeKey: key('t.scope_key'),
    },
  },
  messageSubscription: {
    table: 'rm_message_subscription',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      messageSubscriptionKey: key('t.key'),
      processDefinitionId: str('t.bpmn_process_id'),
      processDefinitionKey: key(
        '(SELECT p.process_definition_key FROM rm_process_instance p WHERE p.key = t.process_instance_key)',
      ),
      processInstanceKey: key('t.process_instance_key'),
      elementId: str('t.element_id'),
      elementInstanceKey: key('t.element_instance_key'),
      messageSubscriptionState: str(
        "CASE WHEN t.correlations > 0 THEN 'CORRELATED' WHEN t.state = 'OPEN' THEN 'CREATED' ELSE 'DELETED' END",
      ),
      lastUpdatedDate: date('t.updated_at'),
      messageName: str('t.message_name'),
      correlationKey: str('t.correlation_key'),
    },
  },
  // v2-tasks: jobs, user tasks, decisions.
  job: {
    table: 'rm_job',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      jobKey: key('t.key'),
      type: str('t.type'),
      worker: str('t.worker'),
      // The spec's job states: activation and back-off are not states of their own there.
      state: str(
        "CASE t.state WHEN 'ACTIVATABLE' THEN (CASE WHEN t.error_message IS NULL THEN 'CREATED' ELSE 'FAILED' END) WHEN 'ACTIVATED' THEN 'CREATED' WHEN 'BACKOFF' THEN 'FAILED' ELSE t.state END",
      ),
      kind: str(
        "CASE (SELECT e.element_type FROM rm_element_instance e WHERE e.key = t.element_instance_key) WHEN 'AD_HOC_SUB_PROCESS' THEN 'AD_HOC_SUB_PROCESS' ELSE 'BPMN_ELEMENT' END",
      ),
      listenerEventType: str("'UNSPECIFIED'"),
      retries: int('t.retries'),
      processDefinitionId: str('t.bpmn_process_id'),
      processDefinitionKey: key('t.process_definition_key'),
      processInstanceKey: key('t.process_instance_key'),
      elementId: str('t.element_id'),
      elementInstanceKey: key('t.element_instance_key'),
      errorMessage: str('t.error_message'),
      errorCode: str('t.error_code'),
      deadline: date('CASE WHEN t.deadline > 0 THEN t.deadline END'),
      endTime: date('t.end_time'),
      hasFailedWithRetriesLeft: bool(
        "t.retries > 0 AND t.error_message IS NOT NULL AND t.state IN ('ACTIVATABLE', 'BACKOFF')",
      ),
      customHeaders: str('t.custom_headers'),
    },
  },
  userTask: {
    table: 'rm_user_task',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      userTaskKey: key('t.key'),
      state: str('t.state'),
      assignee: str('t.assignee'),
      priority: int('t.priority'),
      elementId: str('t.element_id'),
      processDefinitionId: str('t.bpmn_process_id'),
      processDefinitionKey: key(
        '(SELECT p.process_definition_key FROM rm_process_instance p WHERE p.key = t.process_instance_key)',
      ),
      processDefinitionVersion: int(
        '(SELECT p.version FROM rm_process_instance p WHERE p.key = t.process_instance_key)',
      ),
      processInstanceKey: key('t.process_instance_key'),
      elementInstanceKey: key('t.element_instance_key'),
      formKey: key('t.form_key'),
      creationDate: date('t.created_at'),
      completionDate: date('t.completed_at'),
      // Stored as the ISO 8601 text the task was given; searched and sorted as instants.
      dueDate: date("CAST(strftime('%s', t.due_date) AS INTEGER) * 1000"),
      followUpDate: date("CAST(strftime('%s', t.follow_up_date) AS INTEGER) * 1000"),
      candidateGroups: str('t.candidate_groups'),
      candidateUsers: str('t.candidate_users'),
    },
  },
  decisionDefinition: {
    table: 'rm_decision_definition',
    where: 't.deleted = 0',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      decisionDefinitionKey: key('t.key'),
      decisionDefinitionId: str('t.decision_id'),
      name: str('t.name'),
      version: int('t.version'),
      decisionRequirementsId: str('t.decision_requirements_id'),
      decisionRequirementsKey: key('t.decision_requirements_key'),
    },
  },
  decisionRequirements: {
    table: 'rm_decision_requirements',
    tieBreaker: 'CAST(t.key AS INTEGER)',
    fields: {
      decisionRequirementsKey: key('t.key'),
      decisionRequirementsId: str('t.decision_requirements_id'),
      decisionRequirementsName: str('t.name'),
      version: int('t.version'),
      resourceName: str('t.resource_name'),
    },
  },
  decisionInstance: {
    table: 'rm_decision_instance',
    // Its keys are the evaluation's key and three more digits: past 64 bits, so ordered as evaluation and index.
    tieBreaker: 'CAST(t.evaluation_key AS INTEGER), t.key',
    fields: {
      decisionEvaluationInstanceKey: key('t.key'),
      decisionEvaluationKey: key('t.evaluation_key'),
      state: str('t.state'),
      evaluationDate: date('t.evaluated_at'),
      evaluationFailure: str('t.failure'),
      decisionDefinitionId: str('t.decision_id'),
      decisionDefinitionKey: key('t.decision_key'),
      decisionDefinitionName: str('t.decision_name'),
      decisionDefinitionVersion: int('t.decision_version'),
      decisionDefinitionType: str('t.decision_type'),
      result: str('t.result'),
      processDefinitionKey: key('t.process_definition_key'),
      processInstanceKey: key('t.process_instance_key'),
      elementInstanceKey: key('t.element_instance_key'),
      evaluatedInputs: str('t.evaluated_inputs'),
      matchedRules: str('t.matched_rules'),
    },
  },
} as const satisfies Record<string, ResourceSpec>;

export type SearchResource = keyof typeof SEARCH_RESOURCES;

/** The fields of a resource and their kinds, for a caller checking requests before it searches. */
export function searchFields(resource: SearchResource): Readonly<Record<string, FieldKind>> {
  const spec: ResourceSpec = SEARCH_RESOURCES[resource];
  return Object.fromEntries(Object.entries(spec.fields).map(([name, f]) => [name, f.kind]));
}

/** Runs one search; a field, operator or value that does not fit is an INVALID_ARGUMENT naming it. */
export async function searchRecords(
  db: ReadModelDatabase,
  resource: SearchResource,
  query: RecordQuery,
): Promise<RecordPage> {
  const spec: ResourceSpec = SEARCH_RESOURCES[resource];
  if (!spec) throw new BatonError('INVALID_ARGUMENT', `'${String(resource)}' is not a searchable resource`);
  const where: string[] = spec.where ? [spec.where] : [];
  const params: SqlValue[] = [];
  for (const condition of query.conditions ?? []) {
    const field = fieldOf(spec, condition.field);
    const [sql, values] = conditionSql(db.dialect, field, condition);
    where.push(sql);
    params.push(...values);
  }
  if (query.anyOf && query.anyOf.length > 0) {
    const groups = query.anyOf.map((group) => {
      if (group.length === 0) return '1 = 1';
      return group
        .map((condition) => {
          const [sql, values] = conditionSql(db.dialect, fieldOf(spec, condition.field), condition);
          params.push(...values);
          return `(${sql})`;
        })
        .join(' AND ');
    });
    where.push(groups.map((g) => `(${g})`).join(' OR '));
  }
  const order = (query.sort ?? []).map((s) => {
    const field = fieldOf(spec, s.field);
    if (s.order !== 'ASC' && s.order !== 'DESC')
      throw new BatonError('INVALID_ARGUMENT', `'sort.order' must be ASC or DESC, got '${String(s.order)}'`);
    const column = field.kind === 'key' ? `CAST(${field.sql} AS INTEGER)` : field.sql;
    return `${column} ${s.order}${db.dialect.nulls(s.order)}`;
  });
  order.push(spec.tieBreaker);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0)
    throw new BatonError('INVALID_ARGUMENT', `'page.from' must be a non-negative integer, got '${offset}'`);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT)
    throw new BatonError(
      'INVALID_ARGUMENT',
      `'page.limit' must be an integer from 0 to ${MAX_LIMIT}, got '${limit}'`,
    );
  const clause = where.length > 0 ? `WHERE ${where.map((w) => `(${w})`).join(' AND ')}` : '';
  const from = `FROM ${spec.table} t ${clause}`;
  const total = Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, params))!.n);
  const columns = Object.entries(spec.fields)
    .map(([name, f]) => `${f.sql} AS "${name}"`)
    .join(', ');
  const items =
    limit === 0
      ? []
      : await db.all(`SELECT ${columns} ${from} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [
          ...params,
          limit,
          offset,
        ]);
  for (const item of items) {
    for (const [name, f] of Object.entries(spec.fields))
      if (f.kind === 'boolean' && item[name] !== null) item[name] = item[name] === 1 || item[name] === true;
  }
  return { items, total };
}

/** The most rows one search returns. */
export const MAX_LIMIT = 10_000;

function fieldOf(spec: ResourceSpec, name: string): FieldSpec {
  const field = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
  if (!field)
    throw new BatonError(
      'INVALID_ARGUMENT',
      `'${name}' is not a field to search by; expected one of ${Object.keys(spec.fields).join(', ')}`,
    );
  return field;
}

/** A condition as SQL and its parameters; the field's SQL in parentheses (it may be a comparison itself). */
function conditionSql(dialect: SqlDialect, spec: FieldSpec, c: FieldCondition): [string, SqlValue[]] {
  const field = { ...spec, sql: `(${spec.sql})` };
  const value = (v: unknown) => sqlValue(dialect, field, c.field, v);
  switch (c.op) {
    case '$exists':
      if (typeof c.value !== 'boolean')
        throw new BatonError('INVALID_ARGUMENT', `'${c.field}.$exists' must be a boolean`);
      return [`${field.sql} IS ${c.value ? 'NOT ' : ''}NULL`, []];
    case '$eq':
      return [`${field.sql} = ?`, [value(c.value)]];
    case '$neq':
      return [`(${field.sql} IS NULL OR ${field.sql} != ?)`, [value(c.value)]];
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (field.kind !== 'integer' && field.kind !== 'date')
        throw new BatonError('INVALID_ARGUMENT', `'${c.field}' does not support ${c.op}`);
      const op = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[c.op];
      return [`${field.sql} ${op} ?`, [value(c.value)]];
    }
    case '$in':
    case '$notIn': {
      if (!Array.isArray(c.value))
        throw new BatonError('INVALID_ARGUMENT', `'${c.field}.${c.op}' must be an array`);
      if (c.value.length === 0) return [c.op === '$in' ? '1 = 0' : '1 = 1', []];
      const marks = c.value.map(() => '?').join(', ');
      const sql =
        c.op === '$in'
          ? `${field.sql} IN (${marks})`
          : `(${field.sql} IS NULL OR ${field.sql} NOT IN (${marks}))`;
      return [sql, c.value.map(value)];
    }
    case '$like': {
      if (field.kind !== 'string' && field.kind !== 'key')
        throw new BatonError('INVALID_ARGUMENT', `'${c.field}' does not support $like`);
      if (typeof c.value !== 'string')
        throw new BatonError('INVALID_ARGUMENT', `'${c.field}.$like' must be a string`);
      return [`${field.sql} LIKE ? ESCAPE '\\'`, [likePattern(c.value)]];
    }
    default:
      throw new BatonError('INVALID_ARGUMENT', `'${c.field}': unknown operator '${String(c.op)}'`);
  }
}

function sqlValue(dialect: SqlDialect, field: FieldSpec, name: string, v: unknown): SqlValue {
  switch (field.kind) {
    case 'key':
    case 'string':
      if (typeof v !== 'string') throw new BatonError('INVALID_ARGUMENT', `'${name}' must be a string`);
      return v;
    case 'integer':
      if (!Number.isInteger(v)) throw new BatonError('INVALID_ARGUMENT', `'${name}' must be an integer`);
      return v as number;
    case 'boolean':
      if (typeof v !== 'boolean') throw new BatonError('INVALID_ARGUMENT', `'${name}' must be a boolean`);
      return dialect.bool(v);
    case 'date': {
      const ms = typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isFinite(ms))
        throw new BatonError(
          'INVALID_ARGUMENT',
          `'${name}' must be an ISO 8601 date-time, got '${String(v)}'`,
        );
      return ms;
    }
  }
}

/** Camunda's like syntax (`*` any run, `?` one character, `\` escapes) as an SQL LIKE pattern. */
function likePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += next === '%' || next === '_' || next === '\\' ? `\\${next}` : next;
    } else if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
