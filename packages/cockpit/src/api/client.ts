/**
 * The cockpit's only way to the server: `fetch` against the REST API on the same origin, with the API key
 * (when the server asks for one) from sessionStorage. Every failure becomes an {@link ApiError} carrying the
 * server's `{ code, message }`, so views can show what went wrong instead of a blank page.
 */

const KEY_STORAGE = 'baton.apiKey';

/** A refused or failed call: the HTTP status (0 when the server could not be reached), the server's code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type AuthListener = (needed: boolean) => void;
const authListeners = new Set<AuthListener>();
let authNeeded = false;

/** The API key kept for this browser tab, if the user signed in. */
export function apiKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores the key the user typed (or forgets it with `undefined`) and lets every view retry. */
export function setApiKey(key: string | undefined): void {
  if (key === undefined) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
  setAuthNeeded(false);
}

/** Called with `true` when the server answered 401 (the sign-in form should show), `false` after sign-in. */
export function onAuthNeeded(listener: AuthListener): () => void {
  authListeners.add(listener);
  listener(authNeeded);
  return () => authListeners.delete(listener);
}

export function setAuthNeeded(needed: boolean): void {
  if (authNeeded === needed) return;
  authNeeded = needed;
  for (const listener of authListeners) listener(needed);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Turns a non-2xx response into an ApiError, using the `{ code, message }` body when there is one. */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    // Baton's `{ code, message }`, or a `/v2` problem detail (RFC 9457) whose `title` is the code.
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; title?: unknown; detail?: unknown };
    const message = typeof body.message === 'string' ? body.message : body.detail;
    const code = typeof body.code === 'string' ? body.code : body.title;
    if (typeof message === 'string')
      return new ApiError(response.status, typeof code === 'string' ? code : 'ERROR', message);
  } catch {
    // Not JSON: a proxy's error page, for instance; fall through to the status line.
  }
  return new ApiError(
    response.status,
    'HTTP_' + response.status,
    `The server answered ${response.status} ${response.statusText}`.trim(),
  );
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...authHeaders(), ...(init.headers as Record<string, string>) },
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'UNAVAILABLE', 'Cannot reach the Baton server. Is it running?');
  }
  if (response.status === 401) {
    setAuthNeeded(true);
    throw await errorOf(response);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** Query parameters: undefined and empty values are left out. */
export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function json<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return json<T>(await call(withQuery(path, query), { signal }));
  },
  async text(path: string, signal?: AbortSignal): Promise<string> {
    return (await call(path, { signal, headers: { accept: '*/*' } })).text();
  },
  async post<T = void>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return json<T>(
      await call(path, {
        signal,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      }),
    );
  },
  async put<T = void>(path: string, body: unknown): Promise<T> {
    return json<T>(
      await call(path, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  },
  async patch<T = void>(path: string, body: unknown): Promise<T> {
    return json<T>(
      await call(path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  },
  /** A multipart upload; the browser sets the boundary. */
  async upload<T>(path: string, form: FormData): Promise<T> {
    return json<T>(await call(path, { method: 'POST', body: form }));
  },
};

/** A readable message for anything a call may throw. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.status === 0 ? error.message : `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
