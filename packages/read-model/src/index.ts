export { ReadModel } from './read-model.js';
export { ReadModelQueries } from './queries.js';
export type { InstanceFilter, Page } from './queries.js';
