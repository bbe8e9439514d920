import pino from 'pino';
import type { Logger } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIP = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);

/**
 * A pino destination that prints one human line per event (`12:00:01.234 INFO  engine started storage=…`),
 * for people watching `baton start` in a terminal; `--log-format json` keeps pino's JSON lines for machines.
 */
function humanLines(out: NodeJS.WritableStream): { write(line: string): void } {
  return {
    write(line) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = new Date(Number(entry.time)).toISOString().slice(11, 23);
      const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
      const fields = Object.entries(entry)
        .filter(([key]) => !SKIP.has(key))
        .map(([key, value]) => `${key}=${field(value)}`);
      out.write(
        `${time} ${level} ${String(entry.msg ?? '')}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}\n`,
      );
    },
  };
}

function field(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value)
    return JSON.stringify((value as Error).message);
  return JSON.stringify(value);
}

/** The server's logger: human lines (default) or JSON lines, to stdout. */
export function createLogger(
  format: 'pretty' | 'json',
  level = process.env.BATON_LOG_LEVEL ?? 'info',
): Logger {
  const options = { name: 'baton', base: undefined, level };
  return format === 'json' ? pino(options) : pino(options, humanLines(process.stdout));
}
