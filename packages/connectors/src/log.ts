/** What the connectors log through: pino's `(fields, message)` signature, so `baton start` passes its logger. */
export interface ConnectorLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One line per event on stderr: `connectors WARN bus unreachable … bus=nats`. */
export const consoleLog: ConnectorLog = {
  info: (fields, message) => console.error(line('INFO', fields, message)),
  warn: (fields, message) => console.error(line('WARN', fields, message)),
  error: (fields, message) => console.error(line('ERROR', fields, message)),
};

/** Logs nothing (tests that check metrics instead). */
export const silentLog: ConnectorLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function line(level: string, fields: Record<string, unknown>, message: string): string {
  const rest = Object.entries(fields).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return `connectors ${level} ${message}${rest.length > 0 ? `  ${rest.join(' ')}` : ''}`;
}
