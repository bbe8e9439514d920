import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { onAuthNeeded } from './api/client';
import type { ReadModelUpdate } from './api/types';
import { UpdateStream } from './api/updates';
import type { ConnectionState } from './api/updates';

const LiveContext = createContext<UpdateStream | undefined>(undefined);

/** Runs one update stream for the whole app while mounted. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [stream] = useState(() => new UpdateStream());
  useEffect(() => {
    stream.start();
    return () => stream.stop();
  }, [stream]);
  return <LiveContext.Provider value={stream}>{children}</LiveContext.Provider>;
}

export function useConnectionState(): ConnectionState {
  const stream = useContext(LiveContext);
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => stream?.onState(setState), [stream]);
  return state;
}

/** Which updates concern a view; a resync after a reconnect always does. */
export type Interest = (update: ReadModelUpdate) => boolean;

export const anyChange: Interest = () => true;

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads again now (after an action, for instance); the old data stays visible meanwhile. */
  readonly reload: () => void;
}

/**
 * Loads `load()` whenever `key` changes, and again whenever a live update that `interest` accepts arrives or
 * the user signs in. Loads never overlap: an update during a load schedules exactly one more.
 */
export function useResource<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  interest: Interest = anyChange,
): Resource<T> {
  const stream = useContext(LiveContext);
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown; loading: boolean }>({
    key,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const interestRef = useRef(interest);
  interestRef.current = interest;
  const running = useRef<{ again: boolean; abort: AbortController } | undefined>(undefined);

  const run = useCallback(() => {
    if (running.current) {
      running.current.again = true;
      return;
    }
    const current = { again: false, abort: new AbortController() };
    running.current = current;
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current(current.abort.signal)
      .then(
        (data) => {
          if (current.abort.signal.aborted) return;
          setState({ key, data, error: undefined, loading: false });
        },
        (error: unknown) => {
          if (current.abort.signal.aborted) return;
          setState((s) => ({ key, data: s.key === key ? s.data : undefined, error, loading: false }));
        },
      )
      .finally(() => {
        if (running.current !== current) return;
        running.current = undefined;
        if (current.again && !current.abort.signal.aborted) run();
      });
  }, [key]);

  useEffect(() => {
    setState((s) => (s.key === key ? s : { key, loading: true }));
    run();
    return () => {
      running.current?.abort.abort();
      running.current = undefined;
    };
  }, [key, run]);

  useEffect(
    () =>
      stream?.subscribe((update) => {
        if (update === 'resync' || interestRef.current(update)) run();
      }),
    [stream, run],
  );

  useEffect(() => {
    let initial = true;
    const off = onAuthNeeded((needed) => {
      // The first call reports the current state; only a later sign-in means "load again".
      if (!initial && !needed) run();
    });
    initial = false;
    return off;
  }, [run]);

  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || state.loading,
    reload: run,
  };
}
