import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

/**
 * The request bodies the REST API reads, replacing Fastify's defaults: JSON whatever the declared type (curl
 * without `-H content-type` and old clients send JSON as text/plain), an empty body being `{}`; form fields for
 * `application/x-www-form-urlencoded` (the OAuth token request). `multipart/form-data` is @fastify/multipart's.
 * Both read at most `bodyLimit` bytes (413 past it).
 */
export function useBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8')))),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseJson(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** Parses a JSON body; an empty body is `{}`. */
function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'INVALID_ARGUMENT', `Expected a JSON request body: ${(error as Error).message}`);
  }
}
