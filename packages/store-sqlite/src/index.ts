export { createSqliteStoreFactory } from './sqlite-store.js';
export type { SqliteStoreFactory, SqliteStoreOptions, SqliteSynchronous } from './sqlite-store.js';
export { migrate } from './migrate.js';
export type { Migration } from './migrations.js';
