import { searchDefinitions } from '../api/searches';
import type { ProcessDefinition } from '../api/types';
import { useResource } from '../live';
import type { Resource } from '../live';

/** Every deployed process version (newest first per id), reloaded when a deployment lands. */
export function useDefinitions(): Resource<ProcessDefinition[]> {
  return useResource(
    'definitions',
    (signal) => searchDefinitions(signal),
    (update) => update.processDefinitions,
  );
}

/** The newest version of each process id. */
export function latestByProcessId(definitions: readonly ProcessDefinition[]): Map<string, ProcessDefinition> {
  const latest = new Map<string, ProcessDefinition>();
  for (const d of definitions) {
    const seen = latest.get(d.bpmnProcessId);
    if (!seen || d.version > seen.version) latest.set(d.bpmnProcessId, d);
  }
  return latest;
}
