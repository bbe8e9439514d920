import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Query } from '../api/client';
import { searchInstances } from '../api/searches';
import { isKey } from '../api/types';
import { formatTime, fromLocalInput, toLocalInput } from '../format';
import { useResource } from '../live';
import { Link, navigate } from '../router';
import { ErrorMessage, Loading, Pager, StateBadge } from './common';

/** The filters kept in the page's query string, so that a filtered list can be bookmarked and shared. */
const FILTERS = [
  'state',
  'hasIncident',
  'startedAfter',
  'startedBefore',
  'variableName',
  'variableValue',
  'bpmnProcessId',
  'sort',
  'order',
  'page',
  'pageSize',
] as const;

type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersOf(query: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  return filters;
}

function href(path: string, filters: Filters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Process instances, filtered by state, incident, start time and a variable's value, one page at a time.
 * `fixed` narrows the search (e.g. to one process definition); the rest comes from the page's query string
 * and goes to the server as typed, which answers a 400 naming a malformed parameter (shown, not swallowed).
 */
export function InstanceList({
  path,
  query,
  fixed = {},
  showProcess = true,
}: {
  path: string;
  query: URLSearchParams;
  fixed?: Query;
  showProcess?: boolean;
}) {
  const id = useId();
  const filters = filtersOf(query);
  const request: Query = { ...filters, ...fixed };
  const requestKey = JSON.stringify(request);
  const result = useResource(`instances:${requestKey}`, (signal) => searchInstances(request, signal));

  const [form, setForm] = useState(filters);
  const queryText = query.toString();
  useEffect(() => setForm(filtersOf(new URLSearchParams(queryText))), [queryText]);
  const set = (name: keyof Filters) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: Filters = { ...form, page: undefined };
    navigate(href(path, next));
  };
  const clear = () =>
    navigate(href(path, { sort: filters.sort, order: filters.order, pageSize: filters.pageSize }));
  const page = result.data;

  return (
    <div className="instance-list">
      <form className="filters" onSubmit={apply} aria-label="Instance filters">
        {showProcess ? (
          <div className="field">
            <label htmlFor={`${id}-process`}>Process id</label>
            <input
              id={`${id}-process`}
              value={form.bpmnProcessId ?? ''}
              onChange={(e) => set('bpmnProcessId')(e.target.value)}
              placeholder="order"
            />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-state`}>State</label>
          <select id={`${id}-state`} value={form.state ?? ''} onChange={(e) => set('state')(e.target.value)}>
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="COMPLETED">Completed</option>
            <option value="TERMINATED">Terminated</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-incident`}>Incidents</label>
          <select
            id={`${id}-incident`}
            value={form.hasIncident ?? ''}
            onChange={(e) => set('hasIncident')(e.target.value)}
          >
            <option value="">Any</option>
            <option value="true">With incident</option>
            <option value="false">Without incident</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-after`}>Started after</label>
          <input
            id={`${id}-after`}
            type="datetime-local"
            value={toLocalInput(form.startedAfter ?? null)}
            onChange={(e) => set('startedAfter')(fromLocalInput(e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-before`}>Started before</label>
          <input
            id={`${id}-before`}
            type="datetime-local"
            value={toLocalInput(form.startedBefore ?? null)}
            onChange={(e) => set('startedBefore')(fromLocalInput(e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-var-name`}>Variable name</label>
          <input
            id={`${id}-var-name`}
            value={form.variableName ?? ''}
            onChange={(e) => set('variableName')(e.target.value)}
            placeholder="orderId"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-var-value`}>Variable value (JSON)</label>
          <input
            id={`${id}-var-value`}
            value={form.variableValue ?? ''}
            onChange={(e) => set('variableValue')(e.target.value)}
            placeholder='42 or "gold"'
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-size`}>Per page</label>
          <select
            id={`${id}-size`}
            value={form.pageSize ?? '50'}
            onChange={(e) => set('pageSize')(e.target.value)}
          >
            {['10', '25', '50', '100'].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </div>
        <div className="field field-buttons">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>
      <ErrorMessage error={result.error} title="Cannot search instances" />
      {!page && !result.error ? <Loading what="instances" /> : null}
      {page ? (
        <>
          <table aria-label="Process instances" aria-busy={result.loading}>
            <thead>
              <tr>
                <th scope="col">Instance</th>
                {showProcess ? <th scope="col">Process</th> : <th scope="col">Version</th>}
                <th scope="col">State</th>
                <th scope="col">Incident</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Parent</th>
              </tr>
            </thead>
            <tbody>
              {page.items.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    No instance matches these filters.
                  </td>
                </tr>
              ) : null}
              {page.items.map((i) => (
                <tr key={i.key} data-instance-key={i.key}>
                  <th scope="row">
                    <Link to={`/instances/${i.key}`}>{i.key}</Link>
                  </th>
                  <td>{showProcess ? `${i.bpmnProcessId} v${i.version}` : `v${i.version}`}</td>
                  <td>
                    <StateBadge state={i.state} />
                  </td>
                  <td className={i.hasIncident ? 'has-incidents' : undefined}>
                    {i.hasIncident ? 'yes' : '—'}
                  </td>
                  <td>{formatTime(i.startTime)}</td>
                  <td>{formatTime(i.endTime)}</td>
                  <td>
                    {isKey(i.parentProcessInstanceKey) ? (
                      <Link to={`/instances/${i.parentProcessInstanceKey}`}>
                        {i.parentProcessInstanceKey}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Instance list"
            page={page.page}
            pageSize={page.pageSize}
            total={page.total}
            onPage={(p) => navigate(href(path, { ...filters, page: String(p) }))}
          />
        </>
      ) : null}
    </div>
  );
}
