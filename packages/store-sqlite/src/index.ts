export { createSqliteStoreFactory } from './sqlite-store.js';
export type { SqliteStoreFactory, SqliteStoreOptions, SqliteSynchronous } from './sqlite-store.js';
