import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { CalledInstance } from '../api/called-instances';
import { api } from '../api/client';
import type { InstanceDetails } from '../api/types';
import { isKey } from '../api/types';
import { BpmnDiagram } from '../components/bpmn-diagram';
import type { Badge, DiagramElement } from '../components/bpmn-diagram';
import { CalledInstanceLinks } from '../components/called-instance-links';
import { ErrorMessage, Loading, Section, StateBadge } from '../components/common';
import { ElementTree } from '../components/element-tree';
import { CancelInstance, MigrateInstance, ModifyInstance } from '../components/instance-actions';
import { RetryButton } from '../components/retry-button';
import { VariablesPanel } from '../components/variables-panel';
import type { Scope } from '../components/variables-panel';
import { formatDuration, formatTime, isEnded } from '../format';
import { useResource } from '../live';
import { Link, navigate } from '../router';
import { useCalledInstances } from './use-called-instances';

/** Diagram markers: where tokens are, where incidents are, the path taken so far, and what called whom. */
function diagramState(
  details: InstanceDetails,
  selectedElementId: string | undefined,
  called: ReadonlyMap<string, readonly CalledInstance[]>,
) {
  const markers: Record<string, string[]> = {};
  const badges: Record<string, Badge[]> = {};
  const add = (id: string, marker: string) => (markers[id] ??= []).push(marker);
  const active = new Map<string, number>();
  for (const e of details.elements) {
    if (e.elementType === 'PROCESS' || e.key === details.instance.key) continue;
    if (!isEnded(e.state)) active.set(e.elementId, (active.get(e.elementId) ?? 0) + 1);
    else add(e.elementId, e.state.endsWith('TERMINATED') ? 'path-terminated' : 'path-completed');
  }
  for (const [id, n] of active) {
    add(id, 'token-active');
    badges[id] = [{ kind: 'active', count: n }];
  }
  const incidents = new Map<string, number>();
  for (const i of details.incidents)
    if (i.state === 'OPEN') incidents.set(i.elementId, (incidents.get(i.elementId) ?? 0) + 1);
  for (const [id, n] of incidents) {
    add(id, 'token-incident');
    badges[id] = [...(badges[id] ?? []), { kind: 'incidents', count: n }];
  }
  for (const flow of details.takenFlows) add(flow, 'path-taken');
  for (const id of called.keys()) add(id, 'called-instance');
  if (selectedElementId) add(selectedElementId, 'selected-element');
  for (const id of Object.keys(markers)) markers[id] = [...new Set(markers[id])];
  return { markers, badges };
}

/** On each call activity that called an instance: a hover text, and links to what it called. */
function calledOnDiagram(
  called: ReadonlyMap<string, readonly CalledInstance[]>,
  names: ReadonlyMap<string, string>,
) {
  const titles: Record<string, string> = {};
  const decorations: Record<string, ReactNode> = {};
  for (const [id, instances] of called) {
    const [latest] = instances;
    if (!latest) continue;
    const target = `${latest.bpmnProcessId} ${latest.key}`;
    titles[id] =
      instances.length > 1
        ? `Click to open the most recent of ${instances.length} called instances (${target})`
        : `Click to open called instance ${target}`;
    decorations[id] = <CalledInstanceLinks elementName={names.get(id) ?? id} instances={instances} />;
  }
  return { titles, decorations };
}

/** One process instance: live diagram, history tree, variables, incidents, and the operator's actions. */
export function InstanceView({ instanceKey }: { instanceKey: string }) {
  const details = useResource(
    `instance:${instanceKey}`,
    (signal) => api.get<InstanceDetails>(`/baton/v1/process-instances/${instanceKey}`, undefined, signal),
    (update) => update.processInstanceKeys.includes(instanceKey) || update.incidents,
  );
  const d = details.data;
  const definitionKey = d?.instance.processDefinitionKey;
  const xml = useResource(
    `xml:${definitionKey ?? ''}`,
    async (signal) => (definitionKey ? api.text(`/v2/process-definitions/${definitionKey}/xml`, signal) : ''),
    () => false,
  );
  const [diagramElements, setDiagramElements] = useState<DiagramElement[]>([]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const names = useMemo(() => new Map(diagramElements.map((e) => [e.id, e.name])), [diagramElements]);
  const selectedElement = d?.elements.find((e) => e.key === selected);
  const called = useCalledInstances(d);
  const { markers, badges } = useMemo(
    () => (d ? diagramState(d, selectedElement?.elementId, called) : { markers: {}, badges: {} }),
    [d, selectedElement?.elementId, called],
  );
  const { titles, decorations } = useMemo(() => calledOnDiagram(called, names), [called, names]);
  const callerOfChild = useMemo(
    () => new Map([...called.values()].flat().map((c) => [c.key, c.elementId])),
    [called],
  );

  if (!d)
    return (
      <>
        <h1>Instance {instanceKey}</h1>
        <ErrorMessage error={details.error} title="Cannot load the instance" />
        {!details.error ? <Loading what="the instance" /> : null}
        <p>
          <Link to="/instances">All instances</Link>
        </p>
      </>
    );

  const { instance } = d;
  const running = instance.state === 'ACTIVE';
  const scopes: Scope[] = [
    { key: instance.key, label: 'Process instance (global)', editable: running },
    ...d.elements
      .filter((e) => e.key !== instance.key && e.elementType !== 'PROCESS')
      .filter((e) => d.variables.some((v) => v.scopeKey === e.key) || (!isEnded(e.state) && running))
      .map((e) => ({
        key: e.key,
        label: `${names.get(e.elementId) ?? e.elementId} (${e.key})`,
        editable: running && !isEnded(e.state),
      })),
  ];
  const openIncidents = d.incidents.filter((i) => i.state === 'OPEN');
  const onDiagramClick = (elementId: string) => {
    const latestCall = called.get(elementId)?.[0];
    if (latestCall) return navigate(`/instances/${latestCall.key}`);
    const candidates = d.elements.filter((e) => e.elementId === elementId);
    const pick = candidates.find((e) => !isEnded(e.state)) ?? candidates[candidates.length - 1];
    setSelected(pick?.key);
  };

  return (
    <>
      <div className="page-title">
        <h1>
          Instance {instance.key} <StateBadge state={instance.state} />
          {openIncidents.length > 0 ? <StateBadge state="INCIDENT" /> : null}
        </h1>
        <span className="muted">
          <Link to={`/processes/${instance.processDefinitionKey}`}>
            {instance.bpmnProcessId} version {instance.version}
          </Link>{' '}
          · started {formatTime(instance.startTime)}
          {instance.endTime ? ` · ended ${formatTime(instance.endTime)}` : ''} ·{' '}
          {formatDuration(instance.startTime, instance.endTime)}
        </span>
      </div>
      <ErrorMessage error={details.error} title="Cannot refresh the instance" />
      {isKey(instance.parentProcessInstanceKey) || d.children.length > 0 ? (
        <nav className="card relations" aria-label="Called and calling instances">
          {isKey(instance.parentProcessInstanceKey) ? (
            <p>
              Called by parent instance{' '}
              <Link to={`/instances/${instance.parentProcessInstanceKey}`}>
                {instance.parentProcessInstanceKey}
              </Link>
            </p>
          ) : null}
          {d.children.length > 0 ? (
            <div>
              Child instances (call activities):
              <ul>
                {d.children.map((c) => {
                  const caller = callerOfChild.get(c.key);
                  return (
                    <li key={c.key}>
                      <Link to={`/instances/${c.key}`}>
                        {c.bpmnProcessId} {c.key}
                      </Link>{' '}
                      <StateBadge state={c.state} />
                      {caller ? (
                        <span className="muted"> called by {names.get(caller) ?? caller}</span>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </div>
          ) : null}
        </nav>
      ) : null}

      <Section
        title="Diagram"
        actions={
          <span className="legend" aria-label="Diagram legend">
            <span className="swatch swatch-active" /> token
            <span className="swatch swatch-incident" /> incident
            <span className="swatch swatch-completed" /> completed
            <span className="swatch swatch-taken" /> path taken
          </span>
        }
      >
        <ErrorMessage error={xml.error} title="Cannot load the diagram" />
        {xml.data ? (
          <BpmnDiagram
            xml={xml.data}
            label={`Diagram of instance ${instance.key}: active elements and the path taken`}
            markers={markers}
            badges={badges}
            titles={titles}
            decorations={decorations}
            onLoaded={setDiagramElements}
            onElementClick={onDiagramClick}
          />
        ) : !xml.error ? (
          <Loading what="the diagram" />
        ) : null}
      </Section>

      {d.incidents.length > 0 ? (
        <Section title={`Incidents (${openIncidents.length} open)`} id="instance-incidents">
          <ul className="incidents">
            {d.incidents.map((i) => (
              <li
                key={i.key}
                className={`incident incident-${i.state.toLowerCase()}`}
                data-incident-key={i.key}
              >
                <div>
                  <StateBadge state={i.state} /> <strong>{names.get(i.elementId) ?? i.elementId}</strong>{' '}
                  <span className="muted">
                    {i.errorType} · {formatTime(i.createdAt)}
                    {i.resolvedAt ? ` · resolved ${formatTime(i.resolvedAt)}` : ''}
                  </span>
                </div>
                <p className="incident-message">{i.errorMessage || '(no message)'}</p>
                <RetryButton incident={i} resolved={i.state !== 'OPEN'} onDone={details.reload} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <div className="columns">
        <Section title="History" id="instance-history">
          <ElementTree
            instanceKey={instance.key}
            elements={d.elements}
            names={names}
            selected={selected}
            onSelect={setSelected}
          />
        </Section>
        <Section title="Variables" id="instance-variables">
          <VariablesPanel
            variables={d.variables}
            scopes={scopes}
            selectedScope={selected}
            onSaved={details.reload}
          />
        </Section>
      </div>

      {d.jobs && d.jobs.length > 0 ? (
        <Section title="Jobs" id="instance-jobs">
          <table aria-label="Jobs of this instance">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Type</th>
                <th scope="col">Element</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Retries
                </th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {d.jobs.map((j) => (
                <tr key={j.key}>
                  <th scope="row">{j.key}</th>
                  <td>{j.type}</td>
                  <td>{names.get(j.elementId) ?? j.elementId}</td>
                  <td>
                    <StateBadge state={j.state} />
                  </td>
                  <td className="num">{j.retries}</td>
                  <td>{j.errorMessage ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}

      <Section title="Operations" id="instance-operations">
        <h3>Move a token</h3>
        <ModifyInstance
          instanceKey={instance.key}
          ended={!running}
          elements={d.elements}
          diagramElements={diagramElements}
          names={names}
          onDone={details.reload}
        />
        <h3>Migrate</h3>
        <MigrateInstance
          instance={instance}
          ended={!running}
          elements={d.elements}
          names={names}
          onDone={details.reload}
        />
        <h3>Cancel</h3>
        <CancelInstance instanceKey={instance.key} ended={!running} onDone={details.reload} />
      </Section>
    </>
  );
}
