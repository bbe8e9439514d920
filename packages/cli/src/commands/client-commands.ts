import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { callGateway } from '../grpc-client.js';
import type { ClientOptions } from '../grpc-client.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3, unsupported: 4 } as const;

export interface Output {
  json?: boolean;
}

/** Runs one client command against a running Baton; prints a table or JSON; returns the exit code. */
export async function runClientCommand(
  client: ClientOptions,
  output: Output,
  method: string,
  request: object,
  describe: (r: Record<string, unknown>) => string,
): Promise<number> {
  try {
    const response = await callGateway(client, method, request);
    console.log(output.json ? JSON.stringify(response, null, 2) : describe(response));
    return EXIT.ok;
  } catch (error) {
    const e = error as ServiceError;
    const unreachable = e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED;
    const message = unreachable
      ? `cannot reach Baton at ${client.address}: ${e.details || e.message}`
      : e.details || e.message;
    if (output.json) console.log(JSON.stringify({ error: { code: status[e.code] ?? 'UNKNOWN', message } }));
    else console.error(`error: ${message}`);
    return unreachable ? EXIT.unreachable : EXIT.refused;
  }
}

export function deployRequest(files: string[]) {
  return { resources: files.map((file) => ({ name: basename(file), content: readFileSync(file) })) };
}

export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c] ?? '')))),
  ].join('\n');
}
