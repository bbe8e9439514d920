import { identityNotSupported, notImplemented } from './problem.js';
import type { V2Routes } from './routes.js';

/** Identity management paths: Baton has no users, groups, roles, tenants, authorizations or mapping rules. */
const IDENTITY = ['users', 'groups', 'roles', 'tenants', 'authorizations', 'mapping-rules', 'setup'];

/** Paths about process automation that Baton does not serve (yet). */
const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  documents: 'Documents',
  system: 'Usage metrics',
  license: 'The license endpoint',
  'authentication/me': 'The authenticated user (Baton authenticates clients, not users)',
};

/**
 * Every identity path answers 403 NOT_SUPPORTED (see problem.ts `identityNotSupported`); the other paths
 * Baton leaves out answer 501 naming what is missing. Any method, any sub-path.
 */
export const identityRoutes: V2Routes = (app) => {
  for (const root of IDENTITY) {
    const answer = async (request: { url: string }) => {
      throw identityNotSupported(request.url.split('?')[0]!);
    };
    app.all(`/${root}`, answer);
    app.all(`/${root}/*`, answer);
  }
  for (const [root, what] of Object.entries(NOT_IMPLEMENTED)) {
    const answer = async () => {
      throw notImplemented(what);
    };
    app.all(`/${root}`, answer);
    app.all(`/${root}/*`, answer);
  }
};
