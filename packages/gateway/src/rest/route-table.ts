import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';
import type { HTTPMethod } from 'find-my-way';

/** One served operation: `POST /v2/jobs/:jobKey/completion`. */
export interface ServedRoute {
  readonly method: string;
  readonly url: string;
}

/**
 * Every route the server declares, its own and its plugins', as Fastify registers them: the list that
 * docs/openapi.yaml must match, and the lookup that tells a wrong method (405 with `Allow`) from an unknown
 * path (404). It matches paths as Fastify's router does (the same router, with the same options).
 */
export class RouteTable {
  private readonly served: ServedRoute[] = [];
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 16 * 1024 });

  /** Records each route as it is added (call before any route is). */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        this.served.push({ method, url: route.url });
        this.router.on(method as HTTPMethod, route.url, () => undefined);
      }
    });
  }

  /** The served operations, in the order they were added. */
  list(): readonly ServedRoute[] {
    return this.served;
  }

  /** The methods served at `pathname` (empty when no route matches it). */
  methodsOf(pathname: string): string[] {
    const methods = new Set(this.served.map((route) => route.method));
    return [...methods].filter((method) => {
      try {
        return this.router.find(method as HTTPMethod, pathname) !== null;
      } catch {
        return false;
      }
    });
  }
}
