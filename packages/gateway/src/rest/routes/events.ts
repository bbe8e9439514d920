import type { LoggedRecord } from '@baton-engine/baton';
import { serveEventStream } from '../event-stream.js';
import type { Route } from '../router.js';

/**
 * `GET /v1/events`: server-sent events, one `record` event per committed record (JSON), from the moment the
 * client connects. `?valueType=JOB,INCIDENT` and `?recordType=EVENT` narrow the stream. There is no replay of
 * older records here; the read model (`GET /v1/process-instances` …, `GET /v1/updates`) is the place for history.
 */
export const eventRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/events',
    handle(ctx) {
      const valueTypes = listParam(ctx.query.get('valueType'));
      const recordTypes = listParam(ctx.query.get('recordType'));
      const wanted = (r: LoggedRecord) =>
        (!valueTypes || valueTypes.has(r.valueType)) && (!recordTypes || recordTypes.has(r.recordType));
      return serveEventStream(ctx, (send) =>
        ctx.engine.onRecords((records) => {
          for (const record of records) {
            if (wanted(record)) send('record', record, `${record.partitionId}-${record.position}`);
          }
        }),
      );
    },
  },
];

function listParam(value: string | null): ReadonlySet<string> | undefined {
  if (!value) return undefined;
  return new Set(value.split(',').map((v) => v.trim().toUpperCase()));
}
