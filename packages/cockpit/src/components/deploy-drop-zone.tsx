import { useId, useState } from 'react';
import type { ChangeEvent, DragEvent } from 'react';
import type { Deployment } from '../api/types';
import { deployFiles } from '../api/operations';
import { Link } from '../router';
import { ErrorMessage } from './common';

/**
 * Deploys BPMN (and DMN and form) files dropped on it, or chosen with the file input inside it, as one multipart
 * upload. Shows what was deployed (with links) or the server's refusal, e.g. a model that cannot run. A process
 * whose definition key was among `knownKeys` when the files were sent was deployed unchanged (an unchanged
 * resource keeps its version and key, as in Zeebe; `/v2` has no flag for it).
 */
export function DeployDropZone({
  onDeployed,
  knownKeys,
}: {
  onDeployed?: (deployment: Deployment) => void;
  knownKeys?: ReadonlySet<string>;
}) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<Deployment | undefined>(undefined);
  const [knownBefore, setKnownBefore] = useState<ReadonlySet<string>>(new Set());
  const processes = (result?.deployments ?? []).flatMap((d) =>
    d.processDefinition ? [d.processDefinition] : [],
  );
  const forms = (result?.deployments ?? []).flatMap((d) => (d.form ? [d.form] : []));

  const deploy = async (files: File[]) => {
    if (files.length === 0) return;
    const wrong = files.find((f) => !/\.(bpmn|dmn|xml|form)$/i.test(f.name));
    setResult(undefined);
    if (wrong) {
      setError(new Error(`'${wrong.name}' is not a BPMN, DMN or form file (.bpmn, .dmn, .xml or .form).`));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const known = new Set(knownKeys ?? []);
      const deployment = await deployFiles(files);
      setKnownBefore(known);
      setResult(deployment);
      onDeployed?.(deployment);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void deploy([...event.dataTransfer.files]);
  };
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    void deploy(files);
  };

  return (
    <div className="deploy">
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="deploy-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>
          <strong>Deploy a model:</strong> drop .bpmn, .dmn or .form files here, or{' '}
          <label htmlFor={inputId} className="file-label">
            choose files
          </label>
          .
        </p>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          accept=".bpmn,.dmn,.xml,.form"
          multiple
          onChange={onChange}
          aria-label="BPMN or DMN files to deploy"
        />
        {busy ? <p role="status">Deploying…</p> : null}
      </div>
      <ErrorMessage error={error} title="Deployment refused" />
      {result ? (
        <div role="status" className="success">
          Deployed:{' '}
          {processes.map((p, i) => (
            <span key={p.processDefinitionKey}>
              {i > 0 ? ', ' : ''}
              <Link to={`/processes/${p.processDefinitionKey}`}>
                {p.processDefinitionId} version {p.processDefinitionVersion}
              </Link>
              {knownBefore.has(p.processDefinitionKey) ? ' (unchanged)' : ''}
            </span>
          ))}
          {forms.map((f, i) => (
            <span key={f.formKey}>
              {i > 0 || processes.length > 0 ? ', ' : ''}form {f.formId} version {f.version}
            </span>
          ))}
          {processes.length === 0 && forms.length === 0 ? 'decisions only' : null}
        </div>
      ) : null}
    </div>
  );
}
