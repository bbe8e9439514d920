import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from './access-tokens.js';

/** A client allowed to exchange its id and secret for an access token (OAuth client credentials). */
export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AuthenticatorOptions {
  /** Static bearer tokens (API keys) accepted as they are. */
  readonly apiKeys: readonly string[];
  /** Clients that may obtain tokens at `POST /oauth/token`. */
  readonly oauthClients?: readonly OAuthClient[];
  /** Lifetime of issued access tokens in seconds (default 3600). */
  readonly tokenTtlSeconds?: number;
  /**
   * Key that signs issued tokens. Random per process by default: tokens then die with a restart, which the
   * Camunda clients handle by fetching a new one.
   */
  readonly signingKey?: Buffer;
  /** Wall clock in milliseconds (tests). */
  readonly now?: () => number;
}

/**
 * Decides whether a request may touch the engine. Both gateways (gRPC metadata and HTTP header) ask the same
 * authenticator, so a credential works on both or on neither.
 */
export interface Authenticator {
  /** False only when the server runs without authentication (`--insecure-no-auth`, loopback only). */
  readonly required: boolean;
  /** Whether OAuth client credentials are configured (the token endpoint answers). */
  readonly issuesTokens: boolean;
  /** Whether the value of an `authorization` header (`Bearer <token>`) carries a valid credential. */
  verify(authorization: string | undefined): boolean;
  /** An access token for valid client credentials; undefined when they are wrong. */
  issueToken(clientId: string, clientSecret: string): { accessToken: string; expiresIn: number } | undefined;
}

/** Accepts everything: for `--insecure-no-auth` on loopback. */
export const NO_AUTHENTICATION: Authenticator = {
  required: false,
  issuesTokens: false,
  verify: () => true,
  issueToken: () => undefined,
};

// Comparing digests keeps the comparison constant-time whatever the lengths of the two strings.
const digest = (text: string) => createHash('sha256').update(text).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** Checks static API keys and tokens it issued itself to configured OAuth clients. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const apiKeys = options.apiKeys.filter((k) => k.length > 0);
  const clients = options.oauthClients ?? [];
  if (apiKeys.length === 0 && clients.length === 0) {
    throw new Error('authentication needs at least one API key or OAuth client');
  }
  const signingKey = options.signingKey ?? randomBytes(32);
  const ttl = options.tokenTtlSeconds ?? 3600;
  const now = options.now ?? Date.now;
  return {
    required: true,
    issuesTokens: clients.length > 0,
    verify(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) return false;
      const token = match[1]!;
      if (apiKeys.some((key) => sameSecret(key, token))) return true;
      return (
        clients.length > 0 && verifyAccessToken(token, signingKey, Math.floor(now() / 1000)) !== undefined
      );
    },
    issueToken(clientId, clientSecret) {
      const client = clients.find((c) => c.clientId === clientId);
      // Compare a secret even for an unknown client so that timing does not reveal which ids exist.
      const valid = sameSecret(client?.clientSecret ?? '\0unknown', clientSecret) && client !== undefined;
      if (!valid) return undefined;
      const iat = Math.floor(now() / 1000);
      return {
        accessToken: signAccessToken({ sub: clientId, iat, exp: iat + ttl }, signingKey),
        expiresIn: ttl,
      };
    },
  };
}
