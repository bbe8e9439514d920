export { ReadModel, READ_MODEL_EXPORTER_ID } from './read-model.js';
export type { ReadModelOptions } from './read-model.js';
export { ReadModelQueries } from './queries.js';
export type { InstanceFilter, Page } from './queries.js';
export type { ReadModelDatabase, SqlDialect, SqlExecutor } from './database.js';
export type { ReadModelChange } from './changes.js';
export type { PostgresReadModelOptions } from './postgres-database.js';
export { SEARCH_RESOURCES, searchFields, MAX_LIMIT } from './record-search.js';
export type {
  FieldCondition,
  FieldKind,
  FilterOperator,
  RecordPage,
  RecordQuery,
  SearchResource,
} from './record-search.js';
export { decisionInstanceKey } from './projections.js';
