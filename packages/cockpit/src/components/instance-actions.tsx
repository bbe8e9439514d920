import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { elementTypeLabel, flowNodesOf } from '../api/bpmn-elements';
import { api } from '../api/client';
import type { ElementInstance, ProcessInstance } from '../api/types';
import { cancelInstance, migrateInstance, modifyInstance, parseJsonObject } from '../api/operations';
import { elementState, isEnded } from '../format';
import { useResource } from '../live';
import { useDefinitions } from '../views/use-definitions';
import type { DiagramElement } from './bpmn-diagram';
import { ErrorMessage, Loading } from './common';

/** Cancel with a second, explicit confirmation (no browser dialog). */
export function CancelInstance({
  instanceKey,
  ended,
  onDone,
}: {
  instanceKey: string;
  /** The instance is over: no button, but the outcome of a cancel made here stays visible. */
  ended: boolean;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await cancelInstance(instanceKey);
      setConfirming(false);
      setCancelled(true);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (cancelled)
    return (
      <p role="status" className="success">
        Instance {instanceKey} cancelled.
      </p>
    );
  if (ended) return <p className="muted">The instance has ended.</p>;
  return (
    <div className="cancel">
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm cancellation">
          <span>Cancel instance {instanceKey}? Its active elements are terminated.</span>
          <button type="button" className="danger" onClick={() => void cancel()} disabled={busy}>
            Yes, cancel instance
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Cancel instance
        </button>
      )}
      <ErrorMessage error={error} title="Cannot cancel" />
    </div>
  );
}

const NOT_ACTIVATABLE = new Set([
  'SequenceFlow',
  'Process',
  'Participant',
  'Lane',
  'LaneSet',
  'TextAnnotation',
  'Association',
  'Group',
  'DataObjectReference',
  'DataStoreReference',
  'DataInputAssociation',
  'DataOutputAssociation',
  'MessageFlow',
]);

/**
 * Process instance modification: terminate an element instance and/or activate an element, in one command
 * (moving a token is both). Variables for the new element instance are optional JSON.
 */
export function ModifyInstance({
  instanceKey,
  elements,
  diagramElements,
  names,
  ended,
  onDone,
}: {
  instanceKey: string;
  /** The instance is over: no form, but the outcome of a modification made here stays visible. */
  ended: boolean;
  elements: readonly ElementInstance[];
  diagramElements: readonly DiagramElement[];
  names: ReadonlyMap<string, string>;
  onDone: () => void;
}) {
  const id = useId();
  const active = elements.filter((e) => !isEnded(e.state) && e.elementType !== 'PROCESS');
  const targets = diagramElements.filter((e) => !NOT_ACTIVATABLE.has(e.type));
  const [terminate, setTerminate] = useState('');
  const [activate, setActivate] = useState('');
  const [variables, setVariables] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    if (!terminate && !activate) {
      setError(new Error('Choose an element instance to terminate, an element to activate, or both.'));
      return;
    }
    const parsed = parseJsonObject(variables);
    if (!parsed.ok) {
      setError(new Error(parsed.message));
      return;
    }
    setError(undefined);
    try {
      await modifyInstance(instanceKey, {
        terminate: terminate ? [terminate] : undefined,
        activate: activate
          ? [{ elementId: activate, variables: Object.keys(parsed.value).length ? parsed.value : undefined }]
          : undefined,
      });
      const moved = terminate && activate;
      setDone(moved ? 'Token moved.' : terminate ? 'Element instance terminated.' : 'Element activated.');
      setTerminate('');
      setActivate('');
      setVariables('');
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  const outcome = done ? (
    <p role="status" className="success">
      {done}
    </p>
  ) : null;
  if (ended) return outcome ?? <p className="muted">The instance has ended: there are no tokens to move.</p>;
  return (
    <form className="modify" onSubmit={(e) => void submit(e)} aria-label="Modify the instance">
      <div className="field">
        <label htmlFor={`${id}-terminate`}>Terminate element instance</label>
        <select id={`${id}-terminate`} value={terminate} onChange={(e) => setTerminate(e.target.value)}>
          <option value="">(none)</option>
          {active.map((e) => (
            <option key={e.key} value={e.key}>
              {names.get(e.elementId) ?? e.elementId} — {elementState(e.state).toLowerCase()} ({e.key})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-activate`}>Activate element</label>
        <select id={`${id}-activate`} value={activate} onChange={(e) => setActivate(e.target.value)}>
          <option value="">(none)</option>
          {targets.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name === e.id ? e.id : `${e.name} (${e.id})`}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-vars`}>Variables for the activated element (JSON object, optional)</label>
        <input
          id={`${id}-vars`}
          value={variables}
          onChange={(e) => setVariables(e.target.value)}
          spellCheck={false}
        />
      </div>
      <div className="field field-buttons">
        <button type="submit">{terminate && activate ? 'Move token' : 'Apply modification'}</button>
      </div>
      <ErrorMessage error={error} title="Modification refused" />
      {outcome}
    </form>
  );
}

/**
 * Process instance migration (as in Camunda Operate): choose the target process definition (by default the
 * other versions of the same process, newest first), map every element that holds a token to an element of
 * the target (pre-filled with the same id where the target has it), and migrate. The engine's refusal is shown
 * as it says it, and the form stays as it was.
 */
export function MigrateInstance({
  instance,
  elements,
  names,
  ended,
  onDone,
}: {
  instance: Pick<ProcessInstance, 'key' | 'bpmnProcessId' | 'version' | 'processDefinitionKey'>;
  /** The instance is over: no form, but the outcome of a migration made here stays visible. */
  ended: boolean;
  elements: readonly ElementInstance[];
  /** Names of the source elements (from the instance's diagram), by element id. */
  names: ReadonlyMap<string, string>;
  onDone: () => void;
}) {
  const id = useId();
  const definitions = useDefinitions();
  const [allProcesses, setAllProcesses] = useState(false);
  /** The target definition key the user chose; undefined: the default (the newest newer version). */
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  /** Target element per source element id, as chosen by the user ('' for none); the rest is pre-filled. */
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const own = (bpmnProcessId: string) => bpmnProcessId === instance.bpmnProcessId;
  const candidates = (definitions.data ?? [])
    .filter((d) => d.key !== instance.processDefinitionKey)
    .filter((d) => allProcesses || own(d.bpmnProcessId))
    .sort(
      (a, b) =>
        Number(own(b.bpmnProcessId)) - Number(own(a.bpmnProcessId)) ||
        a.bpmnProcessId.localeCompare(b.bpmnProcessId) ||
        b.version - a.version,
    );
  const targetKey =
    chosen ?? candidates.find((d) => own(d.bpmnProcessId) && d.version > instance.version)?.key ?? '';
  const target = candidates.find((d) => d.key === targetKey);

  const xml = useResource(
    `migration-target:${target?.key ?? ''}`,
    async (signal) => (target ? api.text(`/v2/process-definitions/${target.key}/xml`, signal) : ''),
    () => false,
  );
  const targetElements = useMemo(
    () => (xml.data && target ? flowNodesOf(xml.data, target.bpmnProcessId) : []),
    [xml.data, target],
  );
  const targetIds = new Set(targetElements.map((e) => e.id));

  // One row per element id with an active element instance (a multi-instance body and its inner instances
  // share theirs).
  const sources = new Map<string, string>();
  for (const e of elements)
    if (
      !isEnded(e.state) &&
      e.elementType !== 'PROCESS' &&
      e.key !== instance.key &&
      !sources.has(e.elementId)
    )
      sources.set(e.elementId, e.elementType);
  const mappedTo = (source: string) =>
    source in overrides ? overrides[source]! : targetIds.has(source) ? source : '';
  const sourceLabel = (source: string) => {
    const name = names.get(source);
    return name && name !== source ? `${name} (${source})` : source;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    if (!target) {
      setError(new Error('Choose the process version to migrate to.'));
      return;
    }
    const mapping: Record<string, string> = {};
    for (const source of sources.keys()) {
      const to = mappedTo(source);
      if (!to) {
        setError(
          new Error(
            `Choose a target element for ${sourceLabel(source)}: every element with an active token must be mapped.`,
          ),
        );
        return;
      }
      mapping[source] = to;
    }
    setError(undefined);
    setBusy(true);
    try {
      await migrateInstance(instance.key, target.key, mapping);
      setDone(
        `Migrated to version ${target.version}${own(target.bpmnProcessId) ? '' : ` of ${target.bpmnProcessId}`}.`,
      );
      setChosen(undefined);
      setOverrides({});
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const outcome = done ? (
    <p role="status" className="success">
      {done}
    </p>
  ) : null;
  if (ended) return outcome ?? <p className="muted">The instance has ended: there is nothing to migrate.</p>;
  return (
    <form className="modify" onSubmit={(e) => void submit(e)} aria-label="Migrate the instance">
      <div className="field">
        <label htmlFor={`${id}-target`}>Target process version</label>
        <select
          id={`${id}-target`}
          value={target ? targetKey : ''}
          onChange={(e) => {
            setChosen(e.target.value);
            setOverrides({});
            setDone(undefined);
          }}
        >
          <option value="">
            {definitions.data && candidates.length === 0 ? '(no other version deployed)' : '(choose)'}
          </option>
          {candidates.map((d) => (
            <option key={d.key} value={d.key}>
              {d.bpmnProcessId} version {d.version}
            </option>
          ))}
        </select>
      </div>
      <div className="field inline">
        <input
          type="checkbox"
          id={`${id}-all`}
          checked={allProcesses}
          onChange={(e) => setAllProcesses(e.target.checked)}
        />
        <label htmlFor={`${id}-all`}>Other processes too</label>
      </div>
      <ErrorMessage error={definitions.error} title="Cannot list the process versions" />
      <ErrorMessage error={xml.error} title="Cannot read the target's elements" />
      {target && xml.data ? (
        <table className="migration-mapping" aria-label="Element mapping">
          <thead>
            <tr>
              <th scope="col">Active element (version {instance.version})</th>
              <th scope="col">Target element (version {target.version})</th>
            </tr>
          </thead>
          <tbody>
            {[...sources].map(([source, type]) => (
              <tr key={source} data-source-element-id={source}>
                <th scope="row">
                  {sourceLabel(source)}{' '}
                  <span className="muted">{elementTypeLabel(type.replace(/_/g, ' '))}</span>
                </th>
                <td>
                  <select
                    aria-label={`Target element for ${sourceLabel(source)}`}
                    value={mappedTo(source)}
                    onChange={(e) => {
                      setOverrides({ ...overrides, [source]: e.target.value });
                      setDone(undefined);
                    }}
                  >
                    <option value="">(not mapped)</option>
                    {targetElements.map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.name ? `${e.name} (${e.id})` : e.id} — {elementTypeLabel(e.type)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : target && !xml.error ? (
        <Loading what="the target's elements" />
      ) : null}
      <div className="field field-buttons">
        <button type="submit" disabled={busy}>
          Migrate
        </button>
      </div>
      <ErrorMessage error={error} title="Migration refused" />
      {outcome}
    </form>
  );
}
