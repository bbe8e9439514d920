import type { Authenticator } from '../../auth/authenticator.js';
import { FailureLimiter } from '../../auth/failure-limiter.js';
import { HttpError } from '../http-error.js';
import type { FastifyReply } from 'fastify';
import type { RestPlugin } from '../plugin.js';

/**
 * `POST /oauth/token`: the OAuth 2.0 client-credentials grant, as `@camunda8/sdk` and zbctl request it
 * (form-encoded `client_id`, `client_secret`, `grant_type=client_credentials`, optionally `audience`).
 * Answers in the RFC 6749 shape, errors included, because OAuth clients parse that and not `{ code, message }`.
 */
export function oauthTokenRoutes(auth: Authenticator, limiter = new FailureLimiter()): RestPlugin {
  return async (app) => {
    app.post<{ Body: unknown }>(OAUTH_TOKEN_PATH, async (request, reply) => {
      if (!auth.issuesTokens) {
        throw new HttpError(
          404,
          'NOT_FOUND',
          'No OAuth clients are configured (--oauth-client / BATON_OAUTH_CLIENTS)',
        );
      }
      // Too many wrong secrets from one address: wait (guessing secrets is slow).
      const address = request.socket.remoteAddress ?? 'unknown';
      const wait = limiter.retryAfterMs(address);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return oauthError(
          reply,
          429,
          'slow_down',
          `Too many failed attempts from ${address}; retry in ${Math.ceil(wait / 1000)} s`,
        );
      }
      // Form fields (application/x-www-form-urlencoded, as OAuth clients send them) or a JSON object.
      const body = request.body;
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const basic = basicCredentials(request.headers.authorization);
      const grantType = String(fields.grant_type ?? '');
      if (grantType !== 'client_credentials') {
        return oauthError(
          reply,
          400,
          'unsupported_grant_type',
          `Expected grant_type=client_credentials, got '${grantType}'`,
        );
      }
      const clientId = basic?.id ?? String(fields.client_id ?? '');
      const clientSecret = basic?.secret ?? String(fields.client_secret ?? '');
      const token = auth.issueToken(clientId, clientSecret);
      if (!token) {
        limiter.failed(address);
        return oauthError(reply, 401, 'invalid_client', 'Unknown client or wrong client secret');
      }
      limiter.succeeded(address);
      return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn };
    });
  };
}

/** The token endpoint's path, which answers anyone. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.code(status).send({ error, error_description: description });

/** Client credentials sent as HTTP Basic authentication, which RFC 6749 prefers over the body. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    throw new HttpError(
      400,
      'INVALID_ARGUMENT',
      'Expected percent-encoded client credentials in the Basic header',
    );
  }
}
