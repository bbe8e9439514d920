export { start } from './commands/start.js';
export type { StartOptions } from './commands/start.js';
