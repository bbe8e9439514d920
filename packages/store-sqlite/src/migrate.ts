import type Database from 'better-sqlite3';
import type { Migration } from './migrations.js';

/**
 * Brings a database up to date with `list`: applies, in version order, each migration not yet recorded
 * in `table` (default `schema_migrations`; another list sharing the file, such as the read model's, keeps
 * its versions in a table of its own), each in its own immediate transaction together with its record, so that two
 * processes opening one file at once apply every step exactly once. Returns the versions it applied.
 *
 * Throws when `list` is not in strictly increasing version order, or when the database holds a version
 * newer than any in `list` (it was written by a newer Baton, whose schema this one cannot know).
 */
export function migrate(
  db: Database.Database,
  list: readonly Migration[],
  table = 'schema_migrations',
): number[] {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`migrations table name '${table}' is not a plain name`);
  list.forEach((migration, index) => {
    const previous = list[index - 1];
    if (!Number.isSafeInteger(migration.version) || (previous && migration.version <= previous.version)) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order`);
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const appliedVersions = db.prepare<[], number>(`SELECT version FROM ${table}`).pluck();
  const recordVersion = db.prepare<[number, string]>(`INSERT INTO ${table} (version, name) VALUES (?, ?)`);

  const newest = Math.max(0, ...appliedVersions.all());
  const known = list.at(-1)?.version ?? 0;
  if (newest > known) {
    throw new Error(`the database schema is at version ${newest}, newer than the ${known} this Baton knows`);
  }

  const apply = db.transaction((migration: Migration): boolean => {
    // Checked again inside the lock: another process may have applied it since we looked.
    if (appliedVersions.all().includes(migration.version)) return false;
    for (const statement of migration.sqlite) db.exec(statement);
    recordVersion.run(migration.version, migration.name);
    return true;
  });
  const applied: number[] = [];
  for (const migration of list) {
    if (apply.immediate(migration)) applied.push(migration.version);
  }
  return applied;
}
