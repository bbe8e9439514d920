import type { LoggedRecord } from '@baton-engine/engine';

/**
 * What a batch changed in the read model, as live updates need it (`onUpdate`, `GET /baton/v1/updates`):
 * which process instances' rows, and whether definitions or incidents changed.
 */
export interface ReadModelChange {
  readonly partitionId: number;
  readonly processInstanceKeys: readonly string[];
  readonly processDefinitions: boolean;
  readonly incidents: boolean;
}

/** The change a batch of applied records made. */
export function changeOf(partitionId: number, records: readonly LoggedRecord[]): ReadModelChange {
  const keys = new Set<string>();
  let processDefinitions = false;
  let incidents = false;
  for (const r of records) {
    if (r.recordType !== 'EVENT') continue;
    if (r.valueType === 'PROCESS') processDefinitions = true;
    else if (r.valueType === 'INCIDENT') incidents = true;
    const value = r.value as { processInstanceKey?: unknown };
    if (typeof value.processInstanceKey === 'string' && value.processInstanceKey !== '-1')
      keys.add(value.processInstanceKey);
  }
  return { partitionId, processInstanceKeys: [...keys], processDefinitions, incidents };
}

/** Instance keys per announcement: PostgreSQL's NOTIFY takes payloads under 8,000 bytes. */
const KEYS_PER_MESSAGE = 300;

/** A change as the messages that announce it to other processes (each under NOTIFY's limit), tagged `origin`. */
export function changeMessages(origin: string, change: ReadModelChange): string[] {
  const messages: string[] = [];
  const keys = change.processInstanceKeys;
  for (let from = 0; from === 0 || from < keys.length; from += KEYS_PER_MESSAGE) {
    messages.push(
      JSON.stringify({ ...change, origin, processInstanceKeys: keys.slice(from, from + KEYS_PER_MESSAGE) }),
    );
  }
  return messages;
}

/** An announced change (undefined when it is not one, or is this process's own). */
export function parseChangeMessage(origin: string, message: string): ReadModelChange | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<ReadModelChange> & { origin?: unknown };
    if (parsed.origin === origin || !Array.isArray(parsed.processInstanceKeys)) return undefined;
    return {
      partitionId: Number(parsed.partitionId),
      processInstanceKeys: parsed.processInstanceKeys.filter((k): k is string => typeof k === 'string'),
      processDefinitions: parsed.processDefinitions === true,
      incidents: parsed.incidents === true,
    };
  } catch {
    return undefined;
  }
}
