import { useId, useState } from 'react';
import { messageOf } from '../api/client';
import type { Incident } from '../api/types';
import { searchIncidents } from '../api/searches';
import { retryIncident } from '../api/operations';
import { ErrorMessage, Loading, Pager, Section, StateBadge } from '../components/common';
import { formatTime } from '../format';
import { useResource } from '../live';
import { Link, navigate, useLocation } from '../router';
import { useDefinitions } from './use-definitions';

type Outcome = { incident: Incident; ok: true } | { incident: Incident; ok: false; message: string };

/** Incidents across all processes, filterable, with retry of several at once and a result per incident. */
export function IncidentsView() {
  const id = useId();
  const { query } = useLocation();
  const state = query.get('state') ?? 'OPEN';
  const bpmnProcessId = query.get('bpmnProcessId') ?? '';
  const page = query.get('page') ?? '';
  const request = { state, bpmnProcessId, page, pageSize: query.get('pageSize') ?? '' };
  const incidents = useResource(
    `incidents:${JSON.stringify(request)}`,
    (signal) => searchIncidents(request, signal),
    (update) => update.incidents || update.processInstanceKeys.length > 0,
  );
  const definitions = useDefinitions();
  const processIds = [...new Set((definitions.data ?? []).map((d) => d.bpmnProcessId))].sort();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [retries, setRetries] = useState('1');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [formError, setFormError] = useState<string | undefined>(undefined);

  const go = (changes: Record<string, string>) => {
    const params = new URLSearchParams(query);
    for (const [name, value] of Object.entries(changes)) {
      if (value) params.set(name, value);
      else params.delete(name);
    }
    const text = params.toString();
    navigate(text ? `/incidents?${text}` : '/incidents');
  };

  const items = incidents.data?.items ?? [];
  const open = items.filter((i) => i.state === 'OPEN');
  const chosen = open.filter((i) => selected.has(i.key));
  const allChosen = open.length > 0 && chosen.length === open.length;
  const toggle = (key: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const retryChosen = async () => {
    const n = Number(retries);
    if (!Number.isInteger(n) || n < 1) {
      setFormError('Retries must be a whole number of 1 or more.');
      return;
    }
    setFormError(undefined);
    setBusy(true);
    const results: Outcome[] = [];
    // One after the other: each result is shown as it comes, and the server is not flooded.
    for (const incident of chosen) {
      try {
        await retryIncident(incident, n);
        results.push({ incident, ok: true });
      } catch (error) {
        results.push({ incident, ok: false, message: messageOf(error) });
      }
      setOutcomes([...results]);
    }
    setSelected(new Set());
    setBusy(false);
    incidents.reload();
  };

  return (
    <>
      <h1>Incidents</h1>
      <Section title="Incidents across all processes" id="all-incidents">
        <div className="filters" role="group" aria-label="Incident filters">
          <div className="field">
            <label htmlFor={`${id}-state`}>State</label>
            <select
              id={`${id}-state`}
              value={state}
              onChange={(e) => go({ state: e.target.value, page: '' })}
            >
              <option value="OPEN">Open</option>
              <option value="RESOLVED">Resolved</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-process`}>Process</label>
            <select
              id={`${id}-process`}
              value={bpmnProcessId}
              onChange={(e) => go({ bpmnProcessId: e.target.value, page: '' })}
            >
              <option value="">All processes</option>
              {processIds.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-retries`}>Retries to give a job</label>
            <input
              id={`${id}-retries`}
              type="number"
              min={1}
              value={retries}
              onChange={(e) => setRetries(e.target.value)}
            />
          </div>
          <div className="field field-buttons">
            <button
              type="button"
              className="primary"
              disabled={busy || chosen.length === 0}
              onClick={() => void retryChosen()}
            >
              {busy ? 'Retrying…' : `Retry selected (${chosen.length})`}
            </button>
          </div>
        </div>
        {formError ? (
          <div className="error" role="alert">
            {formError}
          </div>
        ) : null}
        <ErrorMessage error={incidents.error} title="Cannot load incidents" />
        {!incidents.data && !incidents.error ? <Loading what="incidents" /> : null}
        {incidents.data ? (
          <>
            <table aria-label="Incidents" aria-busy={incidents.loading}>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all open incidents on this page"
                      checked={allChosen}
                      disabled={open.length === 0}
                      onChange={() => setSelected(allChosen ? new Set() : new Set(open.map((i) => i.key)))}
                    />
                  </th>
                  <th scope="col">Process</th>
                  <th scope="col">Instance</th>
                  <th scope="col">Element</th>
                  <th scope="col">Type</th>
                  <th scope="col">Message</th>
                  <th scope="col">Created</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="muted">
                      No {state === 'OPEN' ? 'open' : 'resolved'} incidents.
                    </td>
                  </tr>
                ) : null}
                {items.map((i) => (
                  <tr key={i.key} data-incident-key={i.key}>
                    <td>
                      {i.state === 'OPEN' ? (
                        <input
                          type="checkbox"
                          aria-label={`Select incident ${i.key} on ${i.elementId}`}
                          checked={selected.has(i.key)}
                          onChange={() => toggle(i.key)}
                        />
                      ) : null}
                    </td>
                    <td>{i.bpmnProcessId}</td>
                    <td>
                      {i.processInstanceKey ? (
                        <Link to={`/instances/${i.processInstanceKey}`}>{i.processInstanceKey}</Link>
                      ) : null}
                    </td>
                    <td>{i.elementId}</td>
                    <td>{i.errorType}</td>
                    <td className="incident-message">{i.errorMessage}</td>
                    <td>{formatTime(i.createdAt)}</td>
                    <td>
                      <StateBadge state={i.state} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager
              label="Incident list"
              page={incidents.data.page}
              pageSize={incidents.data.pageSize}
              total={incidents.data.total}
              onPage={(p) => go({ page: String(p) })}
            />
          </>
        ) : null}
      </Section>
      {outcomes.length > 0 ? (
        <Section title="Retry results" id="retry-results">
          <ul className="outcomes" role="status" aria-live="polite">
            {outcomes.map((o) => (
              <li
                key={o.incident.key}
                className={o.ok ? 'success' : 'error'}
                data-incident-key={o.incident.key}
              >
                Incident {o.incident.key} ({o.incident.bpmnProcessId} / {o.incident.elementId}, instance{' '}
                {o.incident.processInstanceKey}): {o.ok ? 'retried' : `failed — ${o.message}`}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setOutcomes([])}>
            Clear results
          </button>
        </Section>
      ) : null}
    </>
  );
}
