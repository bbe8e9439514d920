import { api } from '../api/client';
import type { Dashboard } from '../api/types';
import { ErrorMessage, Loading, Section } from '../components/common';
import { ThroughputChart } from '../components/throughput-chart';
import { useResource } from '../live';
import { Link } from '../router';
import { latestByProcessId, useDefinitions } from './use-definitions';

function Figure({ label, value, tone, to }: { label: string; value: number; tone: string; to: string }) {
  return (
    <Link to={to} className={`figure figure-${tone}`} aria-label={`${label}: ${value}`}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </Link>
  );
}

/** Running instances, incidents, throughput and per-process counts, live. */
export function DashboardView() {
  const dashboard = useResource('dashboard', (signal) =>
    api.get<Dashboard>('/baton/v1/dashboard', undefined, signal),
  );
  const definitions = useDefinitions();
  const latest = latestByProcessId(definitions.data ?? []);
  const d = dashboard.data;

  return (
    <>
      <h1>Dashboard</h1>
      <ErrorMessage error={dashboard.error} />
      {!d && !dashboard.error ? <Loading what="the dashboard" /> : null}
      {d ? (
        <>
          <div className="figures" data-testid="dashboard-figures">
            <Figure
              label="Running instances"
              value={d.instances.active}
              tone="active"
              to="/instances?state=ACTIVE"
            />
            <Figure label="Open incidents" value={d.openIncidents} tone="incident" to="/incidents" />
            <Figure
              label="Completed instances"
              value={d.instances.completed}
              tone="completed"
              to="/instances?state=COMPLETED"
            />
            <Figure
              label="Terminated instances"
              value={d.instances.terminated}
              tone="terminated"
              to="/instances?state=TERMINATED"
            />
          </div>
          <div className="columns">
            <Section title="Throughput">
              <ThroughputChart points={d.throughput} />
            </Section>
            <Section title="Processes" id="dashboard-processes">
              {d.processes.length === 0 ? (
                <p className="muted">
                  Nothing has run yet. <Link to="/processes">Deploy a process</Link> to start.
                </p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Process</th>
                      <th scope="col" className="num">
                        Running
                      </th>
                      <th scope="col" className="num">
                        Incidents
                      </th>
                      <th scope="col" className="num">
                        Completed
                      </th>
                      <th scope="col" className="num">
                        Terminated
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.processes.map((p) => {
                      const definition = latest.get(p.bpmnProcessId);
                      return (
                        <tr key={p.bpmnProcessId}>
                          <th scope="row">
                            {definition ? (
                              <Link to={`/processes/${definition.key}`}>
                                {definition.name || p.bpmnProcessId}
                              </Link>
                            ) : (
                              p.bpmnProcessId
                            )}
                          </th>
                          <td className="num">{p.active}</td>
                          <td className={`num${p.incidents > 0 ? ' has-incidents' : ''}`}>{p.incidents}</td>
                          <td className="num">{p.completed}</td>
                          <td className="num">{p.terminated}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
            </Section>
          </div>
        </>
      ) : null}
    </>
  );
}
