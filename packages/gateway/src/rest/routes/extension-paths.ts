/** Where Baton's own endpoints go that Camunda's API has no counterpart for (live updates, metrics …). */
export const BATON_EXTENSIONS_PREFIX = '/baton';

/**
 * The paths of one Baton extension: `/baton/v1<path>`, and the deprecated `/v1<path>` alias that clients
 * written before `/v2` still call (see docs/gateway.md). One handler serves both.
 */
export function extensionPaths(path: string): readonly string[] {
  return [`${BATON_EXTENSIONS_PREFIX}/v1${path}`, `/v1${path}`];
}
