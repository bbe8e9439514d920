import { authHeaders, apiKey, onAuthNeeded, setAuthNeeded } from './client';
import type { ReadModelUpdate } from './types';

export type ConnectionState = 'connecting' | 'live' | 'offline';

/** What a subscriber hears: a read-model change, or `resync` after a reconnect (changes may have been missed). */
export type UpdateListener = (update: ReadModelUpdate | 'resync') => void;

const MAX_BACKOFF_MS = 15_000;

/**
 * Reads `GET /baton/v1/updates` (server-sent events) with `fetch` and a stream reader, because EventSource cannot
 * send an Authorization header. Reconnects with exponential back-off when the stream drops; a 401 waits
 * until the user has signed in again.
 */
export class UpdateStream {
  private readonly listeners = new Set<UpdateListener>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private abort: AbortController | undefined;
  /** Bumped by start() and stop(): a loop whose generation is outdated ends (React may stop and restart). */
  private generation = 0;
  private backoff = 1000;
  private connectedBefore = false;

  constructor(private readonly url = '/baton/v1/updates') {}

  subscribe(listener: UpdateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    this.abort?.abort();
    void this.run(++this.generation);
  }

  stop(): void {
    this.generation++;
    this.abort?.abort();
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private emit(update: ReadModelUpdate | 'resync'): void {
    for (const listener of this.listeners) listener(update);
  }

  private async run(generation: number): Promise<void> {
    const current = () => generation === this.generation;
    while (current()) {
      this.setState('connecting');
      try {
        await this.readOnce(current);
        // The server ended the stream (it is stopping): come back as soon as it is up again.
      } catch (error) {
        if (!current()) return;
        if (error instanceof Unauthorized) {
          this.setState('offline');
          await waitForSignIn();
          continue;
        }
      }
      if (!current()) return;
      this.setState('offline');
      await sleep(this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    }
  }

  private async readOnce(current: () => boolean): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const response = await fetch(this.url, {
      headers: { accept: 'text/event-stream', ...authHeaders() },
      signal: abort.signal,
      cache: 'no-store',
    });
    if (!current()) {
      abort.abort();
      return;
    }
    if (response.status === 401) {
      setAuthNeeded(true);
      throw new Unauthorized();
    }
    if (!response.ok || !response.body) throw new Error(`updates: HTTP ${response.status}`);
    this.setState('live');
    this.backoff = 1000;
    if (this.connectedBefore) this.emit('resync');
    this.connectedBefore = true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.dispatch(block);
      }
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event !== 'update' || data.length === 0) return;
    try {
      const update = JSON.parse(data.join('\n')) as Partial<ReadModelUpdate>;
      this.emit({
        processInstanceKeys: Array.isArray(update.processInstanceKeys) ? update.processInstanceKeys : [],
        processDefinitions: update.processDefinitions === true,
        incidents: update.incidents === true,
      });
    } catch {
      // A malformed event is skipped; the next one carries the news again.
    }
  }
}

class Unauthorized extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once a key is stored and the sign-in form has closed. */
function waitForSignIn(): Promise<void> {
  return new Promise((resolve) => {
    const off = onAuthNeeded((needed) => {
      if (!needed && apiKey() !== undefined) {
        queueMicrotask(() => off());
        resolve();
      }
    });
  });
}
