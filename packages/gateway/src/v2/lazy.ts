import type { RestPlugin } from '../rest/plugin.js';

/**
 * The `/v2` plugin as the package exports it: its route modules (and zod, the read model's search) load when
 * a server registers it, not with the package, so that importing the gateway stays quick for the CLI's
 * client commands.
 */
export const v2Api: RestPlugin = async (app, options) => {
  const { v2Api: routes } = await import('./index.js');
  await routes(app, options);
};
