import type { FastifyReply, FastifyRequest } from 'fastify';

/** Comment lines keep idle connections open through proxies that drop silent ones. */
const HEARTBEAT_MS = 15_000;

/** Writes one server-sent event. */
export type SendEvent = (event: string, data: unknown, id?: string) => void;

/**
 * Answers a request with a server-sent event stream until the client goes away or the server stops.
 * `subscribe` starts sending and returns the function that stops it.
 */
export async function serveEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  subscribe: (send: SendEvent) => () => void,
): Promise<void> {
  // The stream is written on the socket's response directly, past Fastify's one-shot send.
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Tells nginx not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const off = subscribe((event, data, id) => {
    res.write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  await new Promise<void>((resolve) => {
    const stop = () => {
      off();
      clearInterval(heartbeat);
      resolve();
    };
    if (request.abortSignal.aborted) stop();
    else request.abortSignal.addEventListener('abort', stop, { once: true });
  });
  res.end();
}
