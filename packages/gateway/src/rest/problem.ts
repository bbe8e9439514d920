import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { HttpError } from './http-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * A refusal as RFC 9457 problem details (`type`, `title`, `status`, `detail`, `instance`), keeping Baton's
 * `{ code, message }` as extension members so that existing clients read it unchanged.
 */
export function problemJson(status: number, code: string, message: string, instance?: string): string {
  return JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: message,
    ...(instance !== undefined ? { instance } : {}),
    code,
    message,
  });
}

/** Answers `failure` as problem details about the request's path. */
export function sendProblem(reply: FastifyReply, failure: HttpError, instance: string): FastifyReply {
  return reply
    .code(failure.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemJson(failure.status, failure.code, failure.message, instance));
}
