import { DeployDropZone } from '../components/deploy-drop-zone';
import { ErrorMessage, Loading, Section } from '../components/common';
import { Link } from '../router';
import { useDefinitions } from './use-definitions';

/** Every deployed process with its versions, and deployment by drag and drop. */
export function ProcessesView() {
  const definitions = useDefinitions();
  const groups = new Map<string, NonNullable<typeof definitions.data>>();
  for (const d of definitions.data ?? []) {
    const list = groups.get(d.bpmnProcessId) ?? [];
    list.push(d);
    groups.set(d.bpmnProcessId, list);
  }
  return (
    <>
      <h1>Processes</h1>
      <DeployDropZone
        onDeployed={() => definitions.reload()}
        knownKeys={new Set((definitions.data ?? []).map((d) => d.key))}
      />
      <Section title="Deployed processes">
        <ErrorMessage error={definitions.error} />
        {!definitions.data && !definitions.error ? <Loading what="process definitions" /> : null}
        {definitions.data && groups.size === 0 ? <p className="muted">No process is deployed yet.</p> : null}
        {groups.size > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Process</th>
                <th scope="col">Id</th>
                <th scope="col">Latest version</th>
                <th scope="col">Older versions</th>
                <th scope="col">Resource</th>
              </tr>
            </thead>
            <tbody>
              {[...groups.entries()].map(([id, versions]) => {
                const sorted = [...versions].sort((a, b) => b.version - a.version);
                const latest = sorted[0]!;
                return (
                  <tr key={id}>
                    <th scope="row">
                      <Link to={`/processes/${latest.key}`}>{latest.name || id}</Link>
                    </th>
                    <td>
                      <code>{id}</code>
                    </td>
                    <td>{latest.version}</td>
                    <td>
                      {sorted.slice(1).map((d, i) => (
                        <span key={d.key}>
                          {i > 0 ? ' ' : ''}
                          <Link to={`/processes/${d.key}`} aria-label={`${id} version ${d.version}`}>
                            v{d.version}
                          </Link>
                        </span>
                      ))}
                    </td>
                    <td>{latest.resourceName}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
      </Section>
    </>
  );
}
