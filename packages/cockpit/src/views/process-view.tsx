import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { elementStatistics } from '../api/searches';
import { parseJsonObject, startInstance } from '../api/operations';
import { BpmnDiagram } from '../components/bpmn-diagram';
import type { Badge, DiagramElement } from '../components/bpmn-diagram';
import { ErrorMessage, Loading, Section } from '../components/common';
import { InstanceList } from '../components/instance-list';
import { useResource } from '../live';
import { Link, navigate, useLocation } from '../router';
import { useDefinitions } from './use-definitions';

/** Heat-map shading by the share of active tokens an element holds. */
function heatClass(active: number, max: number): string | undefined {
  if (active <= 0) return undefined;
  const share = active / max;
  return share > 0.66 ? 'heat-high' : share > 0.33 ? 'heat-medium' : 'heat-low';
}

function StartInstanceForm({ definitionKey }: { definitionKey: string }) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [started, setStarted] = useState<string | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStarted(undefined);
    const parsed = parseJsonObject(text);
    if (!parsed.ok) {
      setError(new Error(parsed.message));
      return;
    }
    setError(undefined);
    try {
      setStarted((await startInstance(definitionKey, parsed.value)).processInstanceKey);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Start an instance">
      <label htmlFor={`${id}-vars`}>Variables (JSON object)</label>
      <textarea
        id={`${id}-vars`}
        rows={2}
        value={text}
        placeholder='{"orderId": 42}'
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <button type="submit">Start instance</button>
      <ErrorMessage error={error} title="Cannot start" />
      {started ? (
        <p role="status" className="success">
          Started instance <Link to={`/instances/${started}`}>{started}</Link>.
        </p>
      ) : null}
    </form>
  );
}

/** One process version: its diagram with a live heat map, a version switcher, and its instances. */
export function ProcessView({ definitionKey }: { definitionKey: string }) {
  const { path, query } = useLocation();
  const definitions = useDefinitions();
  const definition = definitions.data?.find((d) => d.key === definitionKey);
  const versions = (definitions.data ?? [])
    .filter((d) => definition && d.bpmnProcessId === definition.bpmnProcessId)
    .sort((a, b) => b.version - a.version);
  const xml = useResource(
    `xml:${definitionKey}`,
    (signal) => api.text(`/v2/process-definitions/${definitionKey}/xml`, signal),
    () => false,
  );
  const stats = useResource(
    `stats:${definitionKey}`,
    async (signal) => ({ items: await elementStatistics(definitionKey, signal) }),
    (update) => update.processInstanceKeys.length > 0 || update.incidents,
  );
  const [elements, setElements] = useState<DiagramElement[]>([]);
  const names = new Map(elements.map((e) => [e.id, e.name]));

  const { badges, markers } = useMemo(() => {
    const badges: Record<string, Badge[]> = {};
    const markers: Record<string, string[]> = {};
    const items = stats.data?.items ?? [];
    const max = Math.max(1, ...items.map((s) => s.active));
    for (const s of items) {
      badges[s.elementId] = [
        { kind: 'active', count: s.active },
        { kind: 'incidents', count: s.incidents },
        { kind: 'completed', count: s.completed },
        { kind: 'terminated', count: s.terminated },
      ];
      const classes = [heatClass(s.active, max), s.incidents > 0 ? 'has-incident' : undefined];
      markers[s.elementId] = classes.filter((c): c is string => c !== undefined);
    }
    return { badges, markers };
  }, [stats.data]);

  const title = definition ? definition.name || definition.bpmnProcessId : `Process ${definitionKey}`;
  return (
    <>
      <div className="page-title">
        <h1>{title}</h1>
        {definition ? (
          <div className="field inline">
            <label htmlFor="version-switcher">Version</label>
            <select
              id="version-switcher"
              value={definitionKey}
              onChange={(e) => navigate(`/processes/${e.target.value}`)}
            >
              {versions.map((v) => (
                <option key={v.key} value={v.key}>
                  Version {v.version}
                  {v === versions[0] ? ' (latest)' : ''}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {definition ? (
          <span className="muted">
            <code>{definition.bpmnProcessId}</code> · key {definition.key} · {definition.resourceName}
          </span>
        ) : null}
      </div>
      <ErrorMessage error={definitions.error} />
      {definitions.data && !definition ? (
        <div className="error" role="alert">
          No process definition with key {definitionKey}. <Link to="/processes">See all processes</Link>.
        </div>
      ) : null}
      <Section
        title="Diagram"
        actions={
          <span className="legend" aria-label="Heat map legend">
            <span className="badge-count badge-count-active">n</span> active
            <span className="badge-count badge-count-incidents">n</span> incidents
            <span className="badge-count badge-count-completed">n</span> completed
            <span className="badge-count badge-count-terminated">n</span> terminated
          </span>
        }
      >
        <ErrorMessage error={xml.error} title="Cannot load the diagram" />
        <ErrorMessage error={stats.error} title="Cannot load the counts" />
        {xml.data ? (
          <BpmnDiagram
            xml={xml.data}
            label={`Diagram of ${title} with counts per element`}
            badges={badges}
            markers={markers}
            onLoaded={setElements}
            onElementClick={() => undefined}
          />
        ) : !xml.error ? (
          <Loading what="the diagram" />
        ) : null}
        {stats.data && stats.data.items.length > 0 ? (
          <details>
            <summary>Counts per element (table)</summary>
            <table aria-label="Counts per element">
              <thead>
                <tr>
                  <th scope="col">Element</th>
                  <th scope="col" className="num">
                    Active
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
                {stats.data.items.map((s) => (
                  <tr key={s.elementId}>
                    <th scope="row">{names.get(s.elementId) ?? s.elementId}</th>
                    <td className="num">{s.active}</td>
                    <td className="num">{s.incidents}</td>
                    <td className="num">{s.completed}</td>
                    <td className="num">{s.terminated}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </Section>
      <Section title="Instances of this version" id="process-instances">
        <InstanceList
          path={path}
          query={query}
          fixed={{ processDefinitionKey: definitionKey }}
          showProcess={false}
        />
      </Section>
      <Section title="Start an instance">
        <StartInstanceForm definitionKey={definitionKey} />
      </Section>
    </>
  );
}
