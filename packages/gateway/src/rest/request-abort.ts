import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Aborted when the client goes away before its answer is written, or when the server stops. */
    abortSignal: AbortSignal;
  }
}

/** The requests being answered, so that stopping can end long polls and event streams and wait for the rest. */
export class RequestsInFlight {
  private readonly open = new Map<AbortController, Promise<void>>();

  /** Gives every request an abort signal, tracked until its response is closed. */
  install(app: FastifyInstance): void {
    app.decorateRequest('abortSignal', undefined as unknown as AbortSignal);
    app.addHook('onRequest', async (request, reply) => {
      const abort = new AbortController();
      request.abortSignal = abort.signal;
      const closed = new Promise<void>((resolve) => {
        // 'close' fires when the response is finished or when the client hung up; only the latter aborts.
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) abort.abort();
          this.open.delete(abort);
          resolve();
        });
      });
      this.open.set(abort, closed);
    });
  }

  /** Aborts every open request and waits until they are answered, at most `graceMs`. */
  async drain(graceMs: number): Promise<void> {
    for (const abort of this.open.keys()) abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs).unref()));
    await Promise.race([Promise.allSettled(this.open.values()), grace]);
    clearTimeout(timer);
  }
}
