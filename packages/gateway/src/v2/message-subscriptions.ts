import type { V2Routes } from './routes.js';
import { runSearch } from './search.js';
import type { SearchDefinition } from './search.js';

const FIELDS = [
  'messageSubscriptionKey',
  'processDefinitionId',
  'processInstanceKey',
  'elementId',
  'elementInstanceKey',
  'messageSubscriptionState',
  'lastUpdatedDate',
  'messageName',
  'correlationKey',
];

/**
 * Message subscriptions of waiting elements: CORRELATED once a message reached them, else CREATED while open
 * and DELETED when their element ended.
 */
export const messageSubscriptionSearch: SearchDefinition<Record<string, unknown>> = {
  resource: 'messageSubscription',
  filter: FIELDS,
  sort: FIELDS,
  item: (row) => row,
};

/** `POST /v2/message-subscriptions/search`. */
export const messageSubscriptionRoutes: V2Routes = (app, { readModel }) => {
  app.post('/message-subscriptions/search', async (request) =>
    runSearch(readModel, messageSubscriptionSearch, request.body),
  );
};
