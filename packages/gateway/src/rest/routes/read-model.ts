import type { ReadModelQueries } from '@baton-engine/read-model';
import { HttpError } from '../http-error.js';

/** The read model behind a search or view; a server without one answers 503. */
export function requireReadModel(readModel: ReadModelQueries | undefined): ReadModelQueries {
  if (!readModel)
    throw new HttpError(
      503,
      'UNAVAILABLE',
      'This server runs without a read model; searches are unavailable',
    );
  return readModel;
}
