/** Formatting shared by the views: times in the browser's locale, JSON compact. */

export function formatTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined) return '—';
  return new Date(epochMs).toLocaleString(undefined, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatDuration(startMs: number, endMs: number | null | undefined): string {
  if (endMs === null || endMs === undefined) return 'running';
  const ms = Math.max(0, endMs - startMs);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Element instance states arrive as ACTIVATING or ELEMENT_ACTIVATED …; the UI shows the plain word. */
export function elementState(state: string): string {
  return state.replace(/^ELEMENT_/, '');
}

export function isEnded(state: string): boolean {
  const plain = elementState(state);
  return plain === 'COMPLETED' || plain === 'TERMINATED';
}

/** `2026-11-23T10:15` (a datetime-local input's value) from epoch ms or ISO text; '' when unparseable. */
export function toLocalInput(text: string | null): string {
  if (!text) return '';
  const ms = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ISO 8601 (UTC) from a datetime-local input's value (local time); '' stays ''. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}
