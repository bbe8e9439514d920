/** Formats rows as an aligned plain-text table with a header line. */
export function table(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const names = columns ?? Object.keys(rows[0]!);
  const cell = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const widths = names.map((name) => Math.max(name.length, ...rows.map((row) => cell(row[name]).length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(names.map((n) => n.toUpperCase())),
    ...rows.map((row) => line(names.map((name) => cell(row[name])))),
  ].join('\n');
}
