import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemJson } from './problem.js';

/**
 * A request node:http could not parse (headers past its size limit, a malformed request line or header):
 * answered as a problem like every other refusal, instead of Node's bare status line.
 */
export function answerUnparsable(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Duplex,
): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'Expected the request line and headers within the size limit (16 KiB by default), but they are larger'
      : status === 408
        ? 'Expected the request headers within the time limit, but they did not arrive'
        : `Expected an HTTP/1.1 request, but it could not be parsed (${error.code ?? error.message})`;
  const text = problemJson(status, status === 408 ? 'DEADLINE_EXCEEDED' : 'INVALID_ARGUMENT', message);
  // The answer to a HEAD has no body (its client would take the body for the next answer).
  const head =
    Buffer.isBuffer(error.rawPacket) && error.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\n` +
      `content-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n` +
      (head ? '' : text),
  );
}
