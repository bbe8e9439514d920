import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ElementInstance } from '../api/types';
import { cancelInstance, modifyInstance, parseJsonObject } from '../api/operations';
import { elementState, isEnded } from '../format';
import type { DiagramElement } from './bpmn-diagram';
import { ErrorMessage } from './common';

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
