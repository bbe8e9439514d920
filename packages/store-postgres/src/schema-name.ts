/** A schema name as written into SQL: refused unless it is a plain lower-case identifier. */
export function quotedSchema(schema: string): string {
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(
      `postgres store: schema must be a plain lower-case identifier (letters, digits, _), got ${JSON.stringify(schema)}`,
    );
  }
  return `"${schema}"`;
}
