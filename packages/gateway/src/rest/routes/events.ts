import type { LoggedRecord } from 'baton';
import type { Route } from '../router.js';

/** Comment lines keep idle connections open through proxies that drop silent ones. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /v1/events`: server-sent events, one `record` event per committed record (JSON), from the moment the
 * client connects. `?valueType=JOB,INCIDENT` and `?recordType=EVENT` narrow the stream. There is no replay of
 * older records here; the read model (issue 7) is the place for history.
 */
export const eventRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/events',
    async handle(ctx) {
      const valueTypes = listParam(ctx.query.get('valueType'));
      const recordTypes = listParam(ctx.query.get('recordType'));
      const wanted = (r: LoggedRecord) =>
        (!valueTypes || valueTypes.has(r.valueType)) && (!recordTypes || recordTypes.has(r.recordType));
      const { res } = ctx;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // Tells nginx not to buffer the stream.
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const off = ctx.engine.onRecords((records) => {
        for (const record of records) {
          if (!wanted(record)) continue;
          res.write(
            `event: record\nid: ${record.partitionId}-${record.position}\ndata: ${JSON.stringify(record)}\n\n`,
          );
        }
      });
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      await new Promise<void>((resolve) => {
        const stop = () => {
          off();
          clearInterval(heartbeat);
          resolve();
        };
        if (ctx.signal.aborted) stop();
        else ctx.signal.addEventListener('abort', stop, { once: true });
      });
      res.end();
      return undefined;
    },
  },
];

function listParam(value: string | null): ReadonlySet<string> | undefined {
  if (!value) return undefined;
  return new Set(value.split(',').map((v) => v.trim().toUpperCase()));
}
