import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims Baton puts in an access token it issues. */
export interface AccessTokenClaims {
  /** The OAuth client the token was issued to. */
  readonly sub: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/**
 * Signs claims as a compact JWT (HS256). A JWT rather than an opaque string because `@camunda8/sdk` decodes
 * the token it receives to learn when to renew it.
 */
export function signAccessToken(claims: AccessTokenClaims, key: Buffer): string {
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** The claims of a token signed with `key` that has not expired at `nowSeconds`; undefined otherwise. */
export function verifyAccessToken(
  token: string,
  key: Buffer,
  nowSeconds: number,
): AccessTokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  // Strictly base64url, no padding: decoding skips characters it does not know, so without this check
  // 'signature==' or 'signature!!' would pass as the signature.
  if (!parts.slice(1).every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: Partial<AccessTokenClaims>;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Partial<AccessTokenClaims>;
  } catch {
    return undefined;
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || typeof claims.sub !== 'string')
    return undefined;
  return claims as AccessTokenClaims;
}
