import type { LoggedRecord } from '@baton-engine/baton';

/** Committed records a test has seen on `GET /baton/v1/events`, collected in the background. */
export interface RecordCollector {
  readonly records: readonly LoggedRecord[];
  /** Resolves with the first record (seen so far or later) that matches. */
  next(predicate: (record: LoggedRecord) => boolean, ms?: number): Promise<LoggedRecord>;
  close(): void;
}

/** Subscribes to a running Baton's server-sent events (`/baton/v1/events?<query>`) and collects the records. */
export async function collectRecords(baseUrl: string, query = '', token?: string): Promise<RecordCollector> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/baton/v1/events${query ? `?${query}` : ''}`, {
    signal: abort.signal,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok || !response.body) throw new Error(`GET /baton/v1/events answered ${response.status}`);
  const records: LoggedRecord[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (data) records.push(JSON.parse(data) as LoggedRecord);
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    records,
    close: () => abort.abort(),
    next: (predicate, ms = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = records.find(predicate);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('no matching record arrived in time'));
        }, ms);
        waiters.add(check);
        check();
      }),
  };
}
