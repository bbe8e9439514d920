import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '@baton-engine/baton';
import type { z } from 'zod';
import type { ReadModelQueries } from '@baton-engine/read-model';
import { HttpError } from './http-error.js';
import type { Logger } from 'pino';

/** What a route handler gets: the engine, the request, its path parameters, and body helpers. */
export interface RouteContext {
  readonly engine: Engine;
  /** The read model's queries; absent when the server runs without one (search endpoints answer 503). */
  readonly readModel?: ReadModelQueries;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  /** The server's logger, when it has one. */
  readonly log?: Logger;
  readonly query: URLSearchParams;
  /** Aborted when the client goes away before the answer is written (ends long polls and streams). */
  readonly signal: AbortSignal;
  /** The raw body, refused past the configured size limit. */
  body(): Promise<Buffer>;
  /** The JSON body, validated by `schema`; a mismatch is a 400 naming the field. */
  json<S extends z.ZodTypeAny>(schema: S): Promise<z.infer<S>>;
}

/** A JSON answer; `undefined` when the route wrote the response itself (server-sent events). */
export type RouteResult = { readonly status: number; readonly body?: unknown } | undefined;

/** One REST operation: method, path pattern (`/v1/jobs/:key/complete`) and handler. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly handle: (ctx: RouteContext) => Promise<RouteResult>;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** The outcome of looking up a request: a route, a path known under other methods (405), or nothing (404). */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/** Matches requests against a fixed table of routes. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { ...route, pattern: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, pathname: string): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, i) => [name, decoded(found[i + 1]!, name)]));
      return { kind: 'found', route, params };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

/** A path parameter, percent-decoded; a malformed escape (`%E0%A4%A`) is the client's error, not ours. */
function decoded(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(
      400,
      'INVALID_ARGUMENT',
      `Expected path parameter '${name}' to be percent-encoded UTF-8, but it is malformed`,
    );
  }
}
