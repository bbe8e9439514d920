/** Where a running Baton's REST API is, and the credential to present. */
export interface ServerAddress {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Bearer token (an API key or an OAuth access token). */
  readonly token?: string;
}

/** The server answered with a refusal: a `/v2` problem detail (`title`, `detail`) or Baton's `{ code, message }`. */
export class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** The server could not be reached (connection refused, unknown host, TLS failure, timeout). */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * Calls one REST operation and resolves with the JSON answer (undefined for 204). Rejects with
 * `RefusedError` or `UnreachableError` so that commands can pick their exit code.
 */
export async function callServer(
  server: ServerAddress,
  method: string,
  path: string,
  body?: unknown,
  options: { timeoutMs?: number } = {},
): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (server.token) headers.authorization = `Bearer ${server.token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = new URL(path, server.url.endsWith('/') ? server.url : `${server.url}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new UnreachableError(`cannot reach Baton at ${server.url}: ${reason}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json ?? {}) as { code?: string; message?: string; title?: string; detail?: string };
    throw new RefusedError(
      response.status,
      error.code ?? error.title ?? `HTTP_${response.status}`,
      error.message ?? error.detail ?? (text || response.statusText),
    );
  }
  return json;
}
