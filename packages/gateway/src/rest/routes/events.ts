import type { LoggedRecord } from '@baton-engine/baton';
import { serveEventStream } from '../event-stream.js';
import type { RestPlugin } from '../plugin.js';
import { extensionPath } from './extension-paths.js';

interface EventsQuery {
  readonly valueType?: string;
  readonly recordType?: string;
}
// Other parameters are ignored, as they always were (EventSource clients may add their own).
const eventsQuery = {
  type: 'object',
  properties: { valueType: { type: 'string' }, recordType: { type: 'string' } },
} as const;

/**
 * `GET /baton/v1/events`: server-sent events, one `record` event
 * per committed record (JSON), from the moment the client connects. `?valueType=JOB,INCIDENT` and
 * `?recordType=EVENT` narrow the stream. There is no replay of older records here; the read model
 * (`POST /v2/process-instances/search` …, `GET /baton/v1/updates`) is the place for history.
 */
export const eventRoutes: RestPlugin = async (app, { engine }) => {
  app.get<{ Querystring: EventsQuery }>(
    extensionPath('/events'),
    { schema: { querystring: eventsQuery } },
    (request, reply) => {
      const valueTypes = listParam(request.query.valueType);
      const recordTypes = listParam(request.query.recordType);
      const wanted = (r: LoggedRecord) =>
        (!valueTypes || valueTypes.has(r.valueType)) && (!recordTypes || recordTypes.has(r.recordType));
      return serveEventStream(request, reply, (send) =>
        engine.onRecords((records) => {
          for (const record of records) {
            if (wanted(record)) send('record', record, `${record.partitionId}-${record.position}`);
          }
        }),
      );
    },
  );
};

function listParam(value: string | undefined): ReadonlySet<string> | undefined {
  if (!value) return undefined;
  return new Set(value.split(',').map((v) => v.trim().toUpperCase()));
}
