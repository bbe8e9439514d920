import { BatonError } from '@baton-engine/baton';
import type { RecordPage, RecordQuery, SearchResource } from './record-search.js';
import { searchRecords } from './record-search.js';
import type { ReadModelChange } from './changes.js';
import type { ReadModelDatabase, Row, SqlValue } from './database.js';

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface InstanceFilter {
  readonly bpmnProcessId?: string;
  readonly processDefinitionKey?: string;
  readonly version?: number;
  readonly state?: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  /** Epoch milliseconds. */
  readonly startedAfter?: number;
  readonly startedBefore?: number;
  readonly hasIncident?: boolean;
  /** Instances with a variable of this name (anywhere in the instance) whose JSON value equals `variableValue`. */
  readonly variableName?: string;
  readonly variableValue?: unknown;
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: 'startTime' | 'endTime' | 'key';
  readonly order?: 'asc' | 'desc';
}

/** An element instance as the instance details list it. */
interface ElementInstanceRow {
  readonly key: string;
  readonly elementId: string;
  readonly elementType: string;
  readonly flowScopeKey: string;
  readonly state: string;
  readonly startTime: number;
  readonly endTime: number | null;
}

/** Rows per list in one instance's details (`instance`); the rest is paged through the searches. */
export const INSTANCE_LIST_LIMIT = 1_000;

const SORT_COLUMNS = { startTime: 'start_time', endTime: 'end_time', key: 'CAST(key AS INTEGER)' } as const;
const STATES = new Set(['ACTIVE', 'COMPLETED', 'TERMINATED']);
const JOB_STATES = new Set([
  'ACTIVATABLE',
  'ACTIVATED',
  'BACKOFF',
  'FAILED',
  'COMPLETED',
  'CANCELED',
  'ERROR_THROWN',
]);
const USER_TASK_STATES = new Set(['CREATED', 'COMPLETED', 'CANCELED']);

/**
 * Reads of the read model, on either database (SQLite or PostgreSQL); every bad parameter is an
 * INVALID_ARGUMENT naming it.
 */
export class ReadModelQueries {
  private readonly listeners = new Set<(change: ReadModelChange) => void>();

  constructor(protected readonly db: ReadModelDatabase) {}

  /**
   * Called with what each batch changed once it is in the read model (for live updates, e.g. server-sent
   * events): the batches this process applies, and on PostgreSQL those of every other node too.
   */
  onUpdate(listener: (change: ReadModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected notify(change: ReadModelChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /**
   * A search in the shape of Camunda's `/v2` API over one resource (process definitions, instances, element
   * instances, incidents, variables): field conditions, sort, offset and limit. See record-search.ts.
   */
  search(resource: SearchResource, query: RecordQuery = {}): Promise<RecordPage> {
    return searchRecords(this.db, resource, query);
  }

  /** Every deployed version of every process (without XML), newest first per id. */
  processDefinitions(): Promise<Row[]> {
    return this.db.all(
      `SELECT key, bpmn_process_id AS "bpmnProcessId", version, name, resource_name AS "resourceName", deployed_at AS "deployedAt", deleted
         FROM rm_process_definition ORDER BY bpmn_process_id, version DESC`,
    );
  }

  async processDefinitionXml(key: string): Promise<string> {
    const xml = (
      await this.db.get<{ xml: string }>('SELECT xml FROM rm_process_definition WHERE key = ?', [key])
    )?.xml;
    if (xml === undefined) throw new BatonError('NOT_FOUND', `No process definition with key '${key}'`);
    return xml;
  }

  /** The DMN XML of a decision requirements graph (one deployed version of a DMN resource). */
  async decisionRequirementsXml(key: string): Promise<string> {
    const xml = (
      await this.db.get<{ xml: string }>('SELECT xml FROM rm_decision_requirements WHERE key = ?', [key])
    )?.xml;
    if (xml === undefined) throw new BatonError('NOT_FOUND', `No decision requirements with key '${key}'`);
    return xml;
  }

  /** The DMN XML a decision definition was deployed in (its decision requirements graph). */
  async decisionDefinitionXml(key: string): Promise<string> {
    const xml = (
      await this.db.get<{ xml: string }>(
        `SELECT r.xml FROM rm_decision_definition d JOIN rm_decision_requirements r ON r.key = d.decision_requirements_key
         WHERE d.key = ? AND d.deleted = 0`,
        [key],
      )
    )?.xml;
    if (xml === undefined) throw new BatonError('NOT_FOUND', `No decision definition with key '${key}'`);
    return xml;
  }

  /** Process instances matching a filter, one page at a time. */
  async searchInstances(filter: InstanceFilter = {}): Promise<Page<Row>> {
    const { page, pageSize } = paging(filter.page, filter.pageSize);
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.bpmnProcessId !== undefined) {
      where.push('bpmn_process_id = ?');
      params.push(filter.bpmnProcessId);
    }
    if (filter.processDefinitionKey !== undefined) {
      where.push('process_definition_key = ?');
      params.push(filter.processDefinitionKey);
    }
    if (filter.version !== undefined) {
      if (!Number.isInteger(filter.version))
        throw new BatonError('INVALID_ARGUMENT', `'version' must be an integer, got '${filter.version}'`);
      where.push('version = ?');
      params.push(filter.version);
    }
    if (filter.state !== undefined) {
      if (!STATES.has(filter.state))
        throw new BatonError(
          'INVALID_ARGUMENT',
          `'state' must be ACTIVE, COMPLETED or TERMINATED, got '${filter.state}'`,
        );
      where.push('state = ?');
      params.push(filter.state);
    }
    for (const [name, op] of [
      ['startedAfter', '>='],
      ['startedBefore', '<'],
    ] as const) {
      const value = filter[name];
      if (value === undefined) continue;
      if (!Number.isFinite(value))
        throw new BatonError('INVALID_ARGUMENT', `'${name}' must be a time (epoch milliseconds or ISO 8601)`);
      where.push(`start_time ${op} ?`);
      params.push(value);
    }
    if (filter.hasIncident !== undefined) where.push(filter.hasIncident ? 'incidents > 0' : 'incidents = 0');
    if (filter.variableName !== undefined) {
      where.push('key IN (SELECT process_instance_key FROM rm_variable WHERE name = ? AND value = ?)');
      params.push(filter.variableName, JSON.stringify(filter.variableValue ?? null));
    }
    const sort = filter.sort ?? 'startTime';
    if (!(sort in SORT_COLUMNS))
      throw new BatonError('INVALID_ARGUMENT', `'sort' must be startTime, endTime or key, got '${sort}'`);
    const order = filter.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc')
      throw new BatonError('INVALID_ARGUMENT', `'order' must be asc or desc, got '${order}'`);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = await this.count(`FROM rm_process_instance ${clause}`, params);
    const direction = order === 'asc' ? 'ASC' : 'DESC';
    const items = await this.db.all(
      `SELECT key, bpmn_process_id AS "bpmnProcessId", version, process_definition_key AS "processDefinitionKey", state,
                start_time AS "startTime", end_time AS "endTime", incidents, parent_process_instance_key AS "parentProcessInstanceKey"
         FROM rm_process_instance ${clause} ORDER BY ${SORT_COLUMNS[sort]} ${order}${this.db.dialect.nulls(direction)}, key ${order} LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items, total, page, pageSize };
  }

  /** One instance with its element instances (the history), variables per scope, incidents and called children. */
  /**
   * One process instance with what the cockpit shows of it. Bounded: each list holds at most `limit` rows
   * (default 1,000; a looping instance has element instances without end), and `totals` says how many there
   * are; element instances keep every active one and the most recent others. The full lists are paged by
   * `searchElementInstances`, `searchVariables` and `searchJobs`.
   */
  async instance(key: string, limit = INSTANCE_LIST_LIMIT) {
    const instance = await this.db.get(
      `SELECT key, bpmn_process_id AS "bpmnProcessId", version, process_definition_key AS "processDefinitionKey", state,
                start_time AS "startTime", end_time AS "endTime", incidents, parent_process_instance_key AS "parentProcessInstanceKey",
                parent_element_instance_key AS "parentElementInstanceKey"
         FROM rm_process_instance WHERE key = ?`,
      [key],
    );
    if (!instance) throw new BatonError('NOT_FOUND', `No process instance with key '${key}'`);
    const count = (table: string, column = 'process_instance_key') =>
      this.count(`FROM ${table} WHERE ${column} = ?`, [key]);
    const elementColumns = `key, element_id AS "elementId", element_type AS "elementType", flow_scope_key AS "flowScopeKey", state,
                start_time AS "startTime", end_time AS "endTime"`;
    // Every active element instance (the diagram's tokens), then the most recent others up to the limit.
    const active = (await this.db.all(
      `SELECT ${elementColumns} FROM rm_element_instance
         WHERE process_instance_key = ? AND state NOT IN ('ELEMENT_COMPLETED', 'ELEMENT_TERMINATED')`,
      [key],
    )) as unknown as ElementInstanceRow[];
    const recent = (await this.db.all(
      `SELECT ${elementColumns} FROM rm_element_instance
         WHERE process_instance_key = ? AND state IN ('ELEMENT_COMPLETED', 'ELEMENT_TERMINATED')
         ORDER BY start_time DESC, CAST(key AS INTEGER) DESC LIMIT ?`,
      [key, Math.max(0, limit - active.length)],
    )) as unknown as ElementInstanceRow[];
    const elements = [...active, ...recent].sort(
      (a, b) => a.startTime - b.startTime || Number(BigInt(a.key) - BigInt(b.key)),
    );
    const variables = (
      (await this.db.all(
        'SELECT scope_key AS "scopeKey", name, value, updated_at AS "updatedAt" FROM rm_variable WHERE process_instance_key = ? ORDER BY scope_key, name LIMIT ?',
        [key, limit],
      )) as unknown as { value: string }[]
    ).map(
      (v) =>
        ({ ...v, value: JSON.parse(v.value) as unknown }) as {
          scopeKey: string;
          name: string;
          value: unknown;
        },
    );
    const incidents = await this.db.all(
      `SELECT key, element_id AS "elementId", element_instance_key AS "elementInstanceKey", job_key AS "jobKey", error_type AS "errorType",
                error_message AS "errorMessage", state, created_at AS "createdAt", resolved_at AS "resolvedAt"
         FROM rm_incident WHERE process_instance_key = ? ORDER BY created_at LIMIT ?`,
      [key, limit],
    );
    const children = await this.db.all(
      `SELECT key, bpmn_process_id AS "bpmnProcessId", state, parent_element_instance_key AS "parentElementInstanceKey",
                start_time AS "startTime"
         FROM rm_process_instance WHERE parent_process_instance_key = ? ORDER BY start_time DESC, CAST(key AS INTEGER) DESC LIMIT ?`,
      [key, limit],
    );
    const takenFlows = (
      await this.db.all<{ flowId: string }>(
        `SELECT DISTINCT element_id AS "flowId" FROM rm_audit WHERE process_instance_key = ? AND value_type = 'PROCESS_INSTANCE' AND intent = 'SEQUENCE_FLOW_TAKEN'`,
        [key],
      )
    ).map((row) => row.flowId);
    const messageSubscriptions = (
      await this.db.all(
        `SELECT key, element_id AS "elementId", element_instance_key AS "elementInstanceKey", message_name AS "messageName",
                correlation_key AS "correlationKey", state, correlations, created_at AS "createdAt"
         FROM rm_message_subscription WHERE process_instance_key = ? ORDER BY created_at DESC LIMIT ?`,
        [key, limit],
      )
    ).reverse();
    const timers = (
      await this.db.all(
        `SELECT key, element_id AS "elementId", element_instance_key AS "elementInstanceKey", due_date AS "dueDate", repetitions,
                state, created_at AS "createdAt"
         FROM rm_timer WHERE process_instance_key = ? ORDER BY created_at DESC LIMIT ?`,
        [key, limit],
      )
    ).reverse();
    const jobs = await this.searchJobs({ processInstanceKey: key, pageSize: Math.min(limit, 1000) });
    const userTasks = (
      await this.db.all(
        `SELECT key, element_id AS "elementId", state, assignee, due_date AS "dueDate", form_key AS "formKey", created_at AS "createdAt"
         FROM rm_user_task WHERE process_instance_key = ? ORDER BY created_at DESC LIMIT ?`,
        [key, limit],
      )
    ).reverse();
    return {
      instance,
      elements,
      variables,
      incidents,
      children,
      takenFlows,
      jobs: jobs.items,
      messageSubscriptions,
      timers,
      userTasks,
      totals: {
        elements: await count('rm_element_instance'),
        variables: await count('rm_variable'),
        incidents: await count('rm_incident'),
        children: await count('rm_process_instance', 'parent_process_instance_key'),
        jobs: jobs.total,
        messageSubscriptions: await count('rm_message_subscription'),
        timers: await count('rm_timer'),
        userTasks: await count('rm_user_task'),
      },
    };
  }

  /** The element instances of a process instance (its whole history), oldest first, paged. */
  searchElementInstances(filter: { processInstanceKey: string; page?: number; pageSize?: number }) {
    return this.pagedSelect(
      `key, element_id AS "elementId", element_type AS "elementType", flow_scope_key AS "flowScopeKey", state,
       start_time AS "startTime", end_time AS "endTime"`,
      'rm_element_instance',
      { process_instance_key: filter.processInstanceKey },
      'start_time, CAST(key AS INTEGER)',
      filter,
    );
  }

  /** Incidents, open ones by default, newest first. */
  async searchIncidents(
    filter: {
      state?: 'OPEN' | 'RESOLVED';
      bpmnProcessId?: string;
      processInstanceKey?: string;
      page?: number;
      pageSize?: number;
    } = {},
  ): Promise<Page<Row>> {
    const state = filter.state ?? 'OPEN';
    if (state !== 'OPEN' && state !== 'RESOLVED')
      throw new BatonError('INVALID_ARGUMENT', `'state' must be OPEN or RESOLVED, got '${state}'`);
    return this.pagedSelect(
      `key, process_instance_key AS "processInstanceKey", bpmn_process_id AS "bpmnProcessId", element_id AS "elementId",
       element_instance_key AS "elementInstanceKey", job_key AS "jobKey", error_type AS "errorType", error_message AS "errorMessage",
       state, created_at AS "createdAt", resolved_at AS "resolvedAt"`,
      'rm_incident',
      { state, bpmn_process_id: filter.bpmnProcessId, process_instance_key: filter.processInstanceKey },
      'created_at DESC, key DESC',
      filter,
    );
  }

  /** Jobs, newest change first; `state` is ACTIVATABLE, ACTIVATED, BACKOFF, FAILED, COMPLETED, CANCELED or ERROR_THROWN. */
  async searchJobs(
    filter: {
      state?: string;
      type?: string;
      processInstanceKey?: string;
      page?: number;
      pageSize?: number;
    } = {},
  ): Promise<Page<Row>> {
    if (filter.state !== undefined && !JOB_STATES.has(filter.state))
      throw new BatonError(
        'INVALID_ARGUMENT',
        `'state' must be one of ${[...JOB_STATES].join(', ')}, got '${filter.state}'`,
      );
    return this.pagedSelect(
      `key, type, state, retries, worker, process_instance_key AS "processInstanceKey", element_instance_key AS "elementInstanceKey",
       element_id AS "elementId", error_message AS "errorMessage", deadline, updated_at AS "updatedAt"`,
      'rm_job',
      { state: filter.state, type: filter.type, process_instance_key: filter.processInstanceKey },
      'updated_at DESC, key DESC',
      filter,
    );
  }

  /** Current variables, by instance and/or name. */
  async searchVariables(
    filter: {
      processInstanceKey?: string;
      scopeKey?: string;
      name?: string;
      page?: number;
      pageSize?: number;
    } = {},
  ): Promise<Page<Row>> {
    const page = await this.pagedSelect(
      `scope_key AS "scopeKey", name, process_instance_key AS "processInstanceKey", value, updated_at AS "updatedAt"`,
      'rm_variable',
      { process_instance_key: filter.processInstanceKey, scope_key: filter.scopeKey, name: filter.name },
      'process_instance_key, scope_key, name',
      filter,
    );
    return {
      ...page,
      items: page.items.map((v) => ({ ...v, value: JSON.parse(v.value as string) as unknown })),
    };
  }

  /** User tasks, open ones (CREATED) by default, oldest first. */
  async searchUserTasks(
    filter: {
      state?: string;
      assignee?: string;
      processInstanceKey?: string;
      page?: number;
      pageSize?: number;
    } = {},
  ): Promise<Page<Row>> {
    const state = filter.state ?? 'CREATED';
    if (!USER_TASK_STATES.has(state))
      throw new BatonError(
        'INVALID_ARGUMENT',
        `'state' must be CREATED, COMPLETED or CANCELED, got '${state}'`,
      );
    const page = await this.pagedSelect(
      `key, process_instance_key AS "processInstanceKey", element_instance_key AS "elementInstanceKey", bpmn_process_id AS "bpmnProcessId",
       element_id AS "elementId", state, assignee, candidate_groups AS "candidateGroups", candidate_users AS "candidateUsers",
       due_date AS "dueDate", follow_up_date AS "followUpDate", form_key AS "formKey", priority, created_at AS "createdAt", completed_at AS "completedAt"`,
      'rm_user_task',
      { state, assignee: filter.assignee, process_instance_key: filter.processInstanceKey },
      'created_at, key',
      filter,
    );
    return {
      ...page,
      items: page.items.map((t) => ({
        ...t,
        candidateGroups: JSON.parse(t.candidateGroups as string) as unknown,
        candidateUsers: JSON.parse(t.candidateUsers as string) as unknown,
      })),
    };
  }

  /**
   * Figures for a dashboard: instances per state, open incidents, per-process counts, and instances started and
   * completed per minute over the last hour (`now` in epoch milliseconds).
   */
  async dashboard(now = Date.now()) {
    const processes = (await this.db.all(
      `SELECT s.bpmn_process_id AS "bpmnProcessId", s.active, s.completed, s.terminated,
                  (SELECT COUNT(*) FROM rm_incident i WHERE i.bpmn_process_id = s.bpmn_process_id AND i.state = 'OPEN') AS incidents
           FROM rm_process_stats s ORDER BY s.bpmn_process_id`,
      [],
    )) as unknown as { active: number; completed: number; terminated: number; incidents: number }[];
    const sum = (field: 'active' | 'completed' | 'terminated' | 'incidents') =>
      processes.reduce((total, p) => total + p[field], 0);
    const instances = { active: sum('active'), completed: sum('completed'), terminated: sum('terminated') };
    const openIncidents = sum('incidents');
    const minute = 60_000;
    const from = Math.floor(now / minute) * minute - 59 * minute;
    const perMinute = async (column: string) =>
      new Map(
        (
          (await this.db.all(
            `SELECT (${column} / ${minute}) * ${minute} AS time, COUNT(*) AS n FROM rm_process_instance
               WHERE ${column} >= ? GROUP BY time`,
            [from],
          )) as unknown as { time: number; n: number }[]
        ).map((r) => [r.time, r.n]),
      );
    const started = await perMinute('start_time');
    const completed = await perMinute('end_time');
    const throughput = Array.from({ length: 60 }, (_, i) => {
      const time = from + i * minute;
      return { time, started: started.get(time) ?? 0, completed: completed.get(time) ?? 0 };
    });
    return { instances, openIncidents, processes, throughput };
  }

  /** How many rows `from` (a FROM clause with its WHERE) selects. */
  private async count(from: string, params: readonly SqlValue[]): Promise<number> {
    return Number((await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from}`, params))!.n);
  }

  /**
   * One page of `table` where every defined `equals` column matches, ordered by `orderBy`. Column names and
   * order come from this class, never from callers; values are bound parameters.
   */
  private async pagedSelect(
    columns: string,
    table: string,
    equals: Record<string, string | number | undefined>,
    orderBy: string,
    pagination: { page?: number; pageSize?: number },
  ): Promise<Page<Row>> {
    const { page, pageSize } = paging(pagination.page, pagination.pageSize);
    const defined = Object.entries(equals).filter(([, value]) => value !== undefined);
    const clause =
      defined.length > 0 ? `WHERE ${defined.map(([column]) => `${column} = ?`).join(' AND ')}` : '';
    const params = defined.map(([, value]) => value as string | number);
    const total = await this.count(`FROM ${table} ${clause}`, params);
    const items = await this.db.all(
      `SELECT ${columns} FROM ${table} ${clause} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items, total, page, pageSize };
  }

  /** Per element of a process definition: how many instances are active there, completed it, or have an incident. */
  async elementCounts(processDefinitionKey: string) {
    const counts = (await this.db.all(
      `SELECT element_id AS "elementId", active, completed, terminated
         FROM rm_element_stats WHERE process_definition_key = ? ORDER BY element_id`,
      [processDefinitionKey],
    )) as unknown as {
      elementId: string;
      active: number;
      completed: number;
      terminated: number;
    }[];
    const incidents = new Map(
      (
        (await this.db.all(
          `SELECT element_id AS "elementId", COUNT(*) AS n FROM rm_incident WHERE process_definition_key = ? AND state = 'OPEN' GROUP BY element_id`,
          [processDefinitionKey],
        )) as unknown as { elementId: string; n: number }[]
      ).map((r) => [r.elementId, r.n]),
    );
    return counts.map((c) => ({ ...c, incidents: incidents.get(c.elementId) ?? 0 }));
  }
}

function paging(page = 1, pageSize = 50): { page: number; pageSize: number } {
  if (!Number.isInteger(page) || page < 1)
    throw new BatonError('INVALID_ARGUMENT', `'page' must be a positive integer, got '${page}'`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `'pageSize' must be an integer from 1 to 1000, got '${pageSize}'`,
    );
  }
  return { page, pageSize };
}
