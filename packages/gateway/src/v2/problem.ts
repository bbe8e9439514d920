import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { UNSUPPORTED_STATUS } from '../status-mapping.js';
import { toHttpError } from '../rest/http-error.js';

/**
 * An RFC 9457 problem detail, the body of every `/v2` error (`application/problem+json`), as Camunda's
 * Orchestration Cluster API answers: `title` is the error code (`INVALID_ARGUMENT`, `NOT_FOUND` …), `detail`
 * says what is wrong and names the field, `instance` is the request path.
 */
export interface ProblemDetail {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
}

/** An error a `/v2` route throws to answer with a problem of its own status and title. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** 400 INVALID_ARGUMENT naming the field (`body.variables`, `filter.state`, `processInstanceKey` …). */
export function invalidField(field: string, reason: string): ProblemError {
  return new ProblemError(400, 'INVALID_ARGUMENT', `Invalid '${field}': ${reason}`);
}

/** 404 NOT_FOUND for a key the read model or the engine does not know. */
export function notFound(what: string, key: string): ProblemError {
  return new ProblemError(404, 'NOT_FOUND', `Expected to find ${what} with key '${key}', but none was found`);
}

/**
 * Identity management (users, groups, roles, tenants, authorizations, mapping rules, clients) is not part of
 * Baton: those paths answer 403 FORBIDDEN, a status the spec declares for every one of them, so a client
 * treats it as "not allowed here" and does not retry. Authentication is API keys or OAuth client credentials.
 */
export function identityNotSupported(path: string): ProblemError {
  return new ProblemError(
    403,
    'NOT_SUPPORTED',
    `'${path}' is identity management, which Baton does not have (no users, groups, roles, tenants, authorizations or mapping rules); authenticate with an API key or OAuth client credentials instead`,
  );
}

/** A process-automation endpoint Baton does not implement (yet): 501, never a pretended success. */
export function notImplemented(what: string): ProblemError {
  return new ProblemError(
    UNSUPPORTED_STATUS.http,
    UNSUPPORTED_STATUS.code,
    `${what} is not supported by Baton`,
  );
}

/**
 * The problem for anything a route threw: engine errors get their status from the one table
 * (status-mapping.ts), Fastify's refusals keep theirs (rest/http-error.ts); the title is the error code.
 */
export function problemOf(error: unknown, instance?: string, bodyLimit?: number): ProblemDetail {
  const at = instance === undefined ? {} : { instance };
  if (error instanceof ProblemError) return problem(error.status, error.title, error.message, at);
  const failure = toHttpError(error, bodyLimit);
  return problem(failure.status, failure.code, failure.message, at);
}

function problem(status: number, title: string, detail: string, at: { instance?: string }): ProblemDetail {
  return { type: 'about:blank', title, status, detail, ...at };
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problemDetail: ProblemDetail): FastifyReply {
  return reply.code(problemDetail.status).type('application/problem+json').send(problemDetail);
}

/** The plugin's error handler: every error a route throws (or Fastify raises for it) becomes a problem. */
export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const answer = problemOf(error, request.url.split('?')[0], request.routeOptions.bodyLimit);
  if (answer.status >= 500 && answer.status !== 503 && answer.status !== 504)
    request.log.error({ err: error }, 'v2 request failed');
  if (reply.raw.headersSent) {
    reply.raw.destroy();
    return reply;
  }
  return sendProblem(reply, answer);
}

/**
 * Parses `value` with a zod schema; a mismatch is a 400 INVALID_ARGUMENT naming every wrong field by its path
 * from `where` (`body`, `query`, `params`), e.g. `Invalid body: 'body.variables' expected object, received string`.
 */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    return `'${path}' ${describeIssue(issue)}`;
  });
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  return (() => {
    throw new ProblemError(400, 'INVALID_ARGUMENT', `Invalid ${where}: ${issues.join('; ')}${more}`);
  })();
}

function describeIssue(issue: z.ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? 'is required'
        : `expected ${issue.expected}, received ${issue.received}`;
    case 'unrecognized_keys':
      return `has unknown properties: ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}
