import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivatedJob, ActivateJobsRequest, BatonErrorCode, Engine } from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';

/**
 * Long-polling job activation across the nodes of a cluster (issue 17). A node whose long poll found no job
 * asks every other leading node to hold the request (`POST /internal/activate-wait`) until it has jobs of the
 * type or the time is up, so that a waiting poll costs nothing while no job exists anywhere. The first node
 * with jobs ends the wait; the others are told to stop (`POST /internal/activate-cancel`) and answer with what
 * they activated until then (the asker yields what it cannot use).
 */

/** The longest one node holds a poll: a longer one is asked again (HTTP clients give up after 300 s). */
export const POLL_ROUND_MS = 60_000;
/** A node is asked again at most this often (one that failed, or answered early); new leaders are looked for. */
const LOOK_EVERY_MS = 1_000;
/** How long past its time a node may take to answer a poll before its connection is cut. */
const ANSWER_GRACE_MS = 5_000;
/** How long the id of a poll cancelled before it arrived is kept. */
const CANCELLED_KEPT_MS = 2 * POLL_ROUND_MS;

type Answer<T> = { readonly result: T } | { readonly error: { code: BatonErrorCode; message: string } };

/** What the asking side needs of `RemoteLeaders`. */
export interface PollTransport {
  /** The other nodes that lead partitions now. */
  nodes(): Promise<{ node: string; address: string }[]>;
  call<T>(address: string, path: string, payload: unknown, timeoutMs: number): Promise<Answer<T>>;
}

type PollRequest = Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>;

/**
 * Long-polls every other leading node (and nodes that come to lead partitions meanwhile) for up to `waitMs`.
 * Resolves with every job the nodes answered once one answered with jobs, the time is up, or `signal` aborted;
 * the result may hold more than `maxJobsToActivate` (two nodes found jobs at the same moment).
 */
export async function pollEveryNode(
  transport: PollTransport,
  request: PollRequest,
  waitMs: number,
  signal: AbortSignal,
): Promise<ActivatedJob[]> {
  const deadline = Date.now() + waitMs;
  const found: ActivatedJob[] = [];
  const done = new AbortController();
  const end = () => done.abort();
  if (signal.aborted) return found;
  signal.addEventListener('abort', end, { once: true });
  const open = new Map<string, Promise<void>>();
  const startedAt = new Map<string, number>();
  let wake = () => undefined as void;
  try {
    while (!done.signal.aborted && Date.now() < deadline) {
      for (const { node, address } of await transport.nodes().catch(() => [])) {
        const ms = Math.min(deadline - Date.now(), POLL_ROUND_MS);
        if (open.has(node) || done.signal.aborted || ms <= 0) continue;
        if (Date.now() - (startedAt.get(node) ?? -Infinity) < LOOK_EVERY_MS) continue;
        startedAt.set(node, Date.now());
        const poll = pollNode(transport, address, request, ms, done.signal)
          .then(
            (jobs) => {
              found.push(...jobs);
              if (jobs.length > 0) end();
            },
            () => undefined, // gone, or no answer: asked again on a later look if it still leads
          )
          .finally(() => {
            open.delete(node);
            wake();
          });
        open.set(node, poll);
      }
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          done.signal.removeEventListener('abort', finish);
          resolve();
        };
        const timer = setTimeout(finish, Math.max(0, Math.min(LOOK_EVERY_MS, deadline - Date.now())));
        done.signal.addEventListener('abort', finish, { once: true });
        wake = finish;
      });
    }
  } finally {
    // Time up: the nodes end their polls by themselves at the same moment, nothing to tell them.
    if (Date.now() < deadline) end();
    await Promise.all(open.values());
    end();
    signal.removeEventListener('abort', end);
  }
  return found;
}

/** One node's long poll; when `signal` aborts, the node is told to stop, and its answer is still read. */
async function pollNode(
  transport: PollTransport,
  address: string,
  request: PollRequest,
  waitMs: number,
  signal: AbortSignal,
): Promise<ActivatedJob[]> {
  const pollId = randomUUID();
  const cancel = () =>
    void transport
      .call(address, '/internal/activate-cancel', { pollId }, ANSWER_GRACE_MS)
      .catch(() => undefined);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const answer = await transport.call<ActivatedJob[]>(
      address,
      '/internal/activate-wait',
      { pollId, request, waitMs },
      waitMs + ANSWER_GRACE_MS,
    );
    if ('result' in answer) return answer.result;
    throw new BatonError(answer.error.code, answer.error.message);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/**
 * The serving side: `POST /internal/activate-wait` ({ pollId, request, waitMs }) long-polls the partitions led
 * here and answers with the jobs (or none after `waitMs`); `POST /internal/activate-cancel` ({ pollId }) ends
 * such a poll early (also one whose request has not arrived yet). Jobs activated for an asker that went away
 * before the answer are yielded (activatable again at once).
 */
export class LongPolls {
  private readonly open = new Map<string, AbortController>();
  /** Polls cancelled before they arrived, with when. */
  private readonly cancelled = new Map<string, number>();

  constructor(private readonly engine: Engine) {}

  /** Serves one of the two routes; false for any other URL. */
  async serve(
    url: string | undefined,
    payload: Record<string, unknown>,
    response: ServerResponse<IncomingMessage>,
  ) {
    if (url === '/internal/activate-cancel') {
      this.cancel(String(payload.pollId));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: true }));
      return true;
    }
    if (url !== '/internal/activate-wait') return false;
    const answer = await this.wait(payload, response);
    if (answer !== undefined)
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    return true;
  }

  private cancel(pollId: string): void {
    const poll = this.open.get(pollId);
    if (poll) {
      poll.abort();
      return;
    }
    const now = Date.now();
    for (const [id, at] of this.cancelled) if (now - at > CANCELLED_KEPT_MS) this.cancelled.delete(id);
    this.cancelled.set(pollId, now);
  }

  /** The answer, or undefined when the asker went away (the jobs are yielded). */
  private async wait(
    payload: Record<string, unknown>,
    response: ServerResponse<IncomingMessage>,
  ): Promise<Answer<ActivatedJob[]> | undefined> {
    const pollId = String(payload.pollId);
    const waitMs = payload.waitMs;
    if (typeof waitMs !== 'number' || !(waitMs >= 0))
      return {
        error: { code: 'INVALID_ARGUMENT', message: `Expected waitMs ≥ 0, but it was ${String(waitMs)}` },
      };
    const stop = new AbortController();
    // The asker went away: its connection closed, or only ended (a server keeps a half-closed connection
    // open while it owes an answer, and notices only when it writes it).
    let gone = false;
    const onClose = () => {
      gone = true;
      stop.abort();
    };
    const socket = response.socket;
    response.on('close', onClose);
    socket?.on('end', onClose);
    this.open.set(pollId, stop);
    if (this.cancelled.delete(pollId)) stop.abort();
    try {
      const jobs = await this.engine.activateJobs({
        ...(payload.request as ActivateJobsRequest),
        requestTimeout: Math.min(waitMs, POLL_ROUND_MS),
        localOnly: true,
        signal: stop.signal,
      });
      if (gone || response.destroyed) {
        await Promise.all(jobs.map((job) => this.engine.yieldJob(job.key).catch(() => undefined)));
        response.destroy();
        return undefined;
      }
      return { result: jobs };
    } catch (error) {
      const code = error instanceof BatonError ? error.code : 'UNAVAILABLE';
      return { error: { code, message: (error as Error)?.message ?? String(error) } };
    } finally {
      this.open.delete(pollId);
      response.off('close', onClose);
      socket?.off('end', onClose);
    }
  }
}
