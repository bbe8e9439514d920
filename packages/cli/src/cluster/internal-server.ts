import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type {
  ActivateJobsRequest,
  CommandBody,
  CreateInstanceWithResultOptions,
  Engine,
  PartitionRead,
  PartitionReadAnswer,
  Variables,
} from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import { partitionsOf, readHostedPartition } from '@baton-engine/baton/internal';
import { LongPolls } from './job-long-poll.js';
import { LEADS_NONE } from './remote-leaders.js';

/** Largest request body accepted from another node. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The endpoint where the other nodes of the cluster reach the partitions this node leads. Only a caller
 * presenting the cluster's internal secret is served. Every route is a POST:
 *
 * - `/internal/submit`: a command forwarded to its partition's leader;
 * - `/internal/activate`: job activation (yielded again when the asker left before the answer);
 * - `/internal/activate-wait`, `/internal/activate-cancel`: another node's long poll, held here until jobs
 *   are found or its time is up (see `job-long-poll.ts`);
 * - `/internal/stream`, `/internal/stream-close`: another node's job stream, its jobs pushed from here;
 * - `/internal/create-with-result`: an instance created here for a node that leads no partition, answered
 *   with its result;
 * - `/internal/running`: the running instances of a process definition (before a resource is deleted);
 * - `/internal/topology`: the partitions served here, with their health;
 * - `/internal/read`: a form or batch operations of a partition led here.
 */
export async function startInternalServer(
  engine: Engine,
  secret: string,
  host: string,
  port: number,
): Promise<{ address: string; close(): Promise<void> }> {
  const expected = Buffer.from(`Bearer ${secret}`);
  const streams: Streams = new Map();
  const polls = new LongPolls(engine);
  const server: Server = createServer((request, response) => {
    void serve(engine, expected, streams, polls, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    address: `http://${shown}:${bound.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The open job streams of other nodes, by the id their node gave them: how to close each. */
type Streams = Map<string, AbortController>;

async function serve(
  engine: Engine,
  expected: Buffer,
  streams: Streams,
  polls: LongPolls,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const given = Buffer.from(request.headers.authorization ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    response.writeHead(401).end();
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405).end();
    return;
  }
  const payload = JSON.parse(await bodyOf(request)) as Record<string, unknown>;
  if (request.url === '/internal/stream') return streamJobs(engine, streams, payload, response);
  if (await polls.serve(request.url, payload, response)) return;
  let answer: unknown;
  try {
    if (request.url === '/internal/submit') {
      const partitionId = payload.partitionId as number;
      const partition = partitionsOf(engine).find((p) => p.partitionId === partitionId);
      if (!partition)
        throw new BatonError('UNAVAILABLE', `partition ${partitionId} is not led by this node (any more)`);
      answer = { result: await partition.submit(payload.body as CommandBody, payload.key as string) };
    } else if (request.url === '/internal/activate') {
      const asked = payload.request as ActivateJobsRequest;
      const jobs = await engine.activateJobs({ ...asked, requestTimeout: 0, localOnly: true });
      if (response.destroyed) {
        // The asking node went away (or gave up) before the jobs could reach it: they are activatable again.
        await Promise.all(jobs.map((job) => engine.yieldJob(job.key).catch(() => undefined)));
        return;
      }
      answer = { result: jobs };
    } else if (request.url === '/internal/create-with-result') {
      if (engine.hostedPartitions.length === 0) throw new BatonError('UNAVAILABLE', LEADS_NONE);
      const { bpmnProcessId, variables, options } = payload as {
        bpmnProcessId: string;
        variables: Variables;
        options: CreateInstanceWithResultOptions;
      };
      answer = { result: await engine.createInstanceWithResult(bpmnProcessId, variables, options) };
    } else if (request.url === '/internal/running') {
      const asked = new Set(payload.partitions as number[]);
      const counted = partitionsOf(engine).filter((p) => asked.has(p.partitionId));
      const key = payload.processDefinitionKey as string;
      answer = {
        result: {
          running: counted.reduce((n, p) => n + p.engineState.runningInstancesOf(key), 0),
          counted: counted.map((p) => p.partitionId),
        },
      };
    } else if (request.url === '/internal/stream-close') {
      streams.get(payload.streamId as string)?.abort();
      answer = { result: true };
    } else if (request.url === '/internal/topology') {
      answer = { result: engine.topology().partitions };
    } else if (request.url === '/internal/read') {
      answer = { result: readPartition(engine, payload) };
    } else {
      response.writeHead(404).end();
      return;
    }
  } catch (error) {
    const code = error instanceof BatonError ? error.code : 'UNAVAILABLE';
    answer = { error: { code, message: (error as Error)?.message ?? String(error) } };
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
}

/**
 * `POST /internal/read`: a question about the state of a partition led here (a form, a start form, a user
 * task's form, one or all of its batch operations), answered as the engine's own method answers it; NOT_FOUND
 * as the engine says, UNAVAILABLE when the partition is not led here (any more).
 */
function readPartition(engine: Engine, payload: Record<string, unknown>): PartitionReadAnswer {
  return readHostedPartition(engine, payload.partitionId as number, payload.read as PartitionRead);
}

/** Heartbeat of an idle job stream: an empty batch this often keeps the connection known to be alive. */
const STREAM_IDLE_MS = 20_000;

/**
 * `POST /internal/stream`: another node's job stream. Jobs of the type are activated on the partitions led
 * here as they become activatable and written as one JSON array per line (an empty one when idle), the next
 * batch only once the last was taken by the connection. Ends when the asking node closes it (`POST
 * /internal/stream-close` with the stream's id, then the response ends) or the connection; jobs activated
 * for it that could not be written are yielded (activatable again at once).
 */
async function streamJobs(
  engine: Engine,
  streams: Streams,
  payload: Record<string, unknown>,
  response: ServerResponse,
) {
  const abort = new AbortController();
  const streamId = String(payload.streamId);
  streams.set(streamId, abort);
  response.on('close', () => abort.abort());
  try {
    await pushJobs(engine, payload, response, abort.signal);
  } finally {
    streams.delete(streamId);
  }
  response.end();
}

async function pushJobs(
  engine: Engine,
  payload: Record<string, unknown>,
  response: ServerResponse,
  signal: AbortSignal,
) {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  response.flushHeaders();
  const asked = payload.request as ActivateJobsRequest;
  while (!signal.aborted) {
    const jobs = await engine.activateJobs({
      ...asked,
      requestTimeout: STREAM_IDLE_MS,
      localOnly: true,
      signal,
    });
    if (signal.aborted || response.destroyed) {
      await Promise.all(jobs.map((job) => engine.yieldJob(job.key).catch(() => undefined)));
      break;
    }
    if (!response.write(`${JSON.stringify(jobs)}\n`))
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        response.on('drain', done);
        signal.addEventListener('abort', done, { once: true });
      });
  }
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
