import { pathKey } from './keys.js';
import type { V2Routes } from './routes.js';
import { getOne, runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

const FIELDS = ['name', 'value', 'variableKey', 'scopeKey', 'processInstanceKey'];

/** Variables: `value` is the JSON text of the value, never truncated (`isTruncated` is always false). */
export const variableSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'variable',
  filter: FIELDS,
  unsupported: ['isTruncated'],
  sort: FIELDS,
  item: (row) => ({ ...row, isTruncated: false }),
};

/** `POST /v2/variables/search` and `GET /v2/variables/{variableKey}` (current values). */
export const variableRoutes: V2Routes = (app, { readModel }) => {
  app.post('/variables/search', async (request) => runSearch(readModel, variableSearch, request.body));

  app.get('/variables/:variableKey', async (request) => {
    const key = pathKey(request.params, 'variableKey');
    const { isTruncated: _truncated, ...variable } = await getOne(
      readModel,
      variableSearch,
      'variableKey',
      key,
      'a variable',
    );
    return variable;
  });
};
