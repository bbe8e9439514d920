/** Where Baton's own endpoints go that Camunda's API has no counterpart for (live updates, metrics …). */
export const BATON_EXTENSIONS_PREFIX = '/baton';

/** The path of one Baton extension: `/baton/v1<path>`. */
export function extensionPath(path: string): string {
  return `${BATON_EXTENSIONS_PREFIX}/v1${path}`;
}
