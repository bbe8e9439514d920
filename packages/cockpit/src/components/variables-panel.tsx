import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Variable } from '../api/types';
import { parseJson, setVariables } from '../api/operations';
import { formatJson, formatTime } from '../format';
import { ErrorMessage } from './common';

/** A variable scope: the process instance or an element instance. */
export interface Scope {
  readonly key: string;
  readonly label: string;
  /** Whether variables can be set there (the scope is still active). */
  readonly editable: boolean;
}

function VariableRow({
  variable,
  editable,
  onSaved,
}: {
  variable: Variable;
  editable: boolean;
  onSaved: () => void;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseJson(text);
    if (!parsed.ok) {
      setError(new Error(`${variable.name}: ${parsed.message}`));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await setVariables(variable.scopeKey, { [variable.name]: parsed.value });
      setEditing(false);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-variable={variable.name}>
      <th scope="row">
        <code>{variable.name}</code>
      </th>
      <td className="value-cell">
        {editing ? (
          <form onSubmit={(e) => void save(e)} className="variable-editor">
            <label htmlFor={id} className="visually-hidden">
              New value of {variable.name} (JSON)
            </label>
            <textarea
              id={id}
              value={text}
              rows={Math.min(8, Math.max(2, text.split('\n').length))}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
            />
            <ErrorMessage error={error} title="Not saved" />
            <div className="buttons">
              <button
                type="submit"
                className="primary"
                disabled={busy}
                aria-label={`Save variable ${variable.name}`}
              >
                Save
              </button>
              <button
                type="button"
                onClick={() => {
                  setEditing(false);
                  setError(undefined);
                }}
              >
                Discard changes
              </button>
            </div>
          </form>
        ) : (
          <code className="json">{formatJson(variable.value)}</code>
        )}
      </td>
      <td>{formatTime(variable.updatedAt)}</td>
      <td>
        {editable && !editing ? (
          <button
            type="button"
            aria-label={`Edit variable ${variable.name}`}
            onClick={() => {
              setText(JSON.stringify(variable.value, null, 2));
              setEditing(true);
            }}
          >
            Edit
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function AddVariableForm({ scopes, onSaved }: { scopes: readonly Scope[]; onSaved: () => void }) {
  const id = useId();
  const editable = scopes.filter((s) => s.editable);
  const [scope, setScope] = useState(editable[0]?.key ?? '');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  if (editable.length === 0) return null;
  const target = editable.some((s) => s.key === scope) ? scope : editable[0]!.key;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    if (!name.trim()) {
      setError(new Error('Enter a variable name.'));
      return;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) {
      setError(new Error(`${name}: ${parsed.message}`));
      return;
    }
    setError(undefined);
    try {
      await setVariables(target, { [name.trim()]: parsed.value });
      setDone(name.trim());
      setName('');
      setText('');
      onSaved();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="add-variable" onSubmit={(e) => void submit(e)} aria-label="Set a variable">
      <div className="field">
        <label htmlFor={`${id}-scope`}>Scope</label>
        <select id={`${id}-scope`} value={target} onChange={(e) => setScope(e.target.value)}>
          {editable.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-value`}>Value (JSON)</label>
        <input
          id={`${id}-value`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder='"text", 42, true, {"a": 1}'
          spellCheck={false}
        />
      </div>
      <div className="field field-buttons">
        <button type="submit">Set variable</button>
      </div>
      <ErrorMessage error={error} title="Not saved" />
      {done ? (
        <p role="status" className="success">
          Variable {done} set.
        </p>
      ) : null}
    </form>
  );
}

/** Variables grouped by scope, each editable as JSON while its scope is active. */
export function VariablesPanel({
  variables,
  scopes,
  selectedScope,
  onSaved,
}: {
  variables: readonly Variable[];
  scopes: readonly Scope[];
  selectedScope: string | undefined;
  onSaved: () => void;
}) {
  const shown = scopes.filter(
    (s) => variables.some((v) => v.scopeKey === s.key) || s.key === selectedScope || scopes[0] === s,
  );
  return (
    <div className="variables">
      {shown.map((scope) => {
        const list = variables.filter((v) => v.scopeKey === scope.key);
        return (
          <div key={scope.key} className={`scope${scope.key === selectedScope ? ' selected' : ''}`}>
            <h3>{scope.label}</h3>
            {list.length === 0 ? (
              <p className="muted">No variables in this scope.</p>
            ) : (
              <table aria-label={`Variables of ${scope.label}`}>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((v) => (
                    <VariableRow key={v.name} variable={v} editable={scope.editable} onSaved={onSaved} />
                  ))}
                </tbody>
              </table>
            )}
          </div>
        );
      })}
      <AddVariableForm scopes={scopes} onSaved={onSaved} />
    </div>
  );
}
