import { randomUUID } from 'node:crypto';
import type {
  ActivatedJob,
  ActivateJobsRequest,
  BatonErrorCode,
  ClusterTopologyNode,
  CommandBody,
  CreateInstanceWithResultOptions,
  InstanceResult,
  Variables,
  JobStreamRequest,
  LocalSubmit,
  LoggedRecord,
  NodePartition,
  PartitionRead,
  PartitionReadAnswer,
  RemotePartitions,
} from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import type { ClusterMembership, PartitionLeader } from '@baton-engine/store-postgres';
import { pollEveryNode } from './job-long-poll.js';

/** How long a forwarded command keeps trying to reach its partition's leader (across a leader change). */
const RETRY_FOR_MS = 10_000;
const RETRY_EVERY_MS = 200;
/** The leaders as read from the database are trusted this long before being read again. */
const LEADERS_FRESH_MS = 1_000;
/** How often an open job stream looks for nodes that came to lead partitions, and a lost one is reopened. */
const STREAM_LOOK_EVERY_MS = 1_000;
/** What a node that leads no partition answers to a creation it would have to forward again. */
export const LEADS_NONE = 'this node leads no partition at the moment';
/** How long a node has to end a job stream asked to close, before its connection is cut. */
const STREAM_CLOSE_MS = 5_000;
/** How long a node has to say what it leads, for a topology. */
const TOPOLOGY_ANSWER_MS = 2_000;

type Answer<T> = { readonly result: T } | { readonly error: { code: BatonErrorCode; message: string } };

/**
 * The partitions other nodes lead, reached through their internal endpoints: the leader of each partition
 * is read from the lease table (joined with the nodes' internal addresses), and a command that meets no
 * leader, a node that is gone, or a partition that moved is tried again, with the leaders read afresh, for
 * up to ten seconds — then it fails with UNAVAILABLE.
 */
export class RemoteLeaders implements RemotePartitions {
  private leaders = new Map<number, PartitionLeader>();
  private nextCreation = 0;
  private readAt = 0;

  /** Where clients reach this node, once it joined (a topology lists it even when its heartbeat is late). */
  address: string | undefined;

  constructor(
    private readonly membership: ClusterMembership,
    private readonly self: string,
    private readonly secret: string,
    /** A node whose heartbeat is older than this is gone. */
    private readonly liveWithinMs: number,
  ) {}

  submit(
    partitionId: number,
    body: CommandBody,
    key: string,
    local: () => LocalSubmit | undefined,
  ): Promise<LoggedRecord> {
    const here = () => {
      const submit = local();
      return submit && (() => submit(body, key));
    };
    return this.toLeader<LoggedRecord>(partitionId, '/internal/submit', { partitionId, body, key }, here);
  }

  // --- Reads of a partition's state (forms, batch operations), asked of its leader ---

  read(
    partitionId: number,
    read: PartitionRead,
    local: () => (() => PartitionReadAnswer) | undefined,
  ): Promise<PartitionReadAnswer> {
    const here = () => {
      const answer = local();
      return answer && (async () => answer());
    };
    return this.toLeader<PartitionReadAnswer>(partitionId, '/internal/read', { partitionId, read }, here);
  }

  // --- end of reads ---

  /**
   * Sends a request to the leader of a partition and gives its answer, trying again (the leaders read afresh)
   * for up to ten seconds while no leader answers; `local` takes it once this node leads the partition.
   */
  private async toLeader<T>(
    partitionId: number,
    path: string,
    payload: unknown,
    local: () => (() => Promise<T>) | undefined,
  ): Promise<T> {
    const deadline = Date.now() + RETRY_FOR_MS;
    let reason = '';
    for (let attempt = 0; ; attempt++) {
      // Taken over by this node meanwhile: it goes to the partition here.
      const here = attempt > 0 ? local() : undefined;
      if (here) return here();
      const leader = await this.leaderOf(partitionId, attempt > 0).catch((error: Error) => {
        reason = `the cluster's database is out of reach: ${error.message}`;
        return undefined;
      });
      if (leader?.internalAddress && leader.node !== this.self) {
        try {
          const answer = await this.call<T>(leader.internalAddress, path, payload);
          if ('result' in answer) return answer.result;
          if (answer.error.code !== 'UNAVAILABLE')
            throw new BatonError(answer.error.code, answer.error.message);
          reason = `node ${leader.node}: ${answer.error.message}`;
        } catch (error) {
          if (error instanceof BatonError) throw error;
          reason = `node ${leader.node} at ${leader.internalAddress}: ${(error as Error).message}`;
        }
      } else if (leader) {
        reason = `partition ${partitionId} is being taken over by node ${leader.node}`;
      } else if (!reason) {
        reason = `partition ${partitionId} has no leader at the moment`;
      }
      if (Date.now() >= deadline)
        throw new BatonError(
          'UNAVAILABLE',
          `partition ${partitionId} could not be reached in 10 s (${reason})`,
        );
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
  }

  async createInstanceWithResult(
    bpmnProcessId: string,
    variables: Variables,
    options: CreateInstanceWithResultOptions,
  ): Promise<InstanceResult> {
    const deadline = Date.now() + RETRY_FOR_MS;
    const waitMs = options.timeout ?? 60_000;
    let reason = 'no node leads a partition at the moment';
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const nodes = await this.otherLeaders(attempt > 0).catch(() => []);
      // Spread over the leading nodes, as creations are spread over partitions.
      const leader = nodes[(this.nextCreation++ + attempt) % Math.max(1, nodes.length)];
      if (leader) {
        const payload = { bpmnProcessId, variables, options };
        let answer: Answer<InstanceResult>;
        try {
          answer = await this.call(leader.address, '/internal/create-with-result', payload, waitMs + 5_000);
        } catch (error) {
          // Sent, and no answer: the instance may exist; creating another could run the process twice.
          throw new BatonError(
            'UNAVAILABLE',
            `node ${leader.node} did not answer the creation of an instance of '${bpmnProcessId}' (${(error as Error).message}); it may have been created`,
          );
        }
        if ('result' in answer) return answer.result;
        if (answer.error.code !== 'UNAVAILABLE' || !answer.error.message.includes(LEADS_NONE))
          throw new BatonError(answer.error.code, answer.error.message);
        reason = `node ${leader.node}: ${answer.error.message}`;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
    throw new BatonError(
      'UNAVAILABLE',
      `an instance of '${bpmnProcessId}' could not be created in 10 s (${reason})`,
    );
  }

  async activateJobs(
    request: Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>,
  ): Promise<ActivatedJob[]> {
    const jobs: ActivatedJob[] = [];
    for (const { address } of await this.otherLeaders(false)) {
      const wanted = request.maxJobsToActivate - jobs.length;
      if (wanted <= 0) break;
      const answer = await this.call<ActivatedJob[]>(address, '/internal/activate', {
        request: { ...request, maxJobsToActivate: wanted },
      }).catch(() => undefined);
      if (answer && 'result' in answer) jobs.push(...answer.result);
    }
    return jobs;
  }

  /** Long polling across the nodes (H8, issue 17): see `job-long-poll.ts`. */
  pollJobs(
    request: Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<ActivatedJob[]> {
    const transport = {
      nodes: () => this.otherLeaders(false),
      call: <T>(address: string, path: string, payload: unknown, timeoutMs: number) =>
        this.call<T>(address, path, payload, timeoutMs),
    };
    return pollEveryNode(transport, request, waitMs, signal);
  }

  async streamJobs(
    request: JobStreamRequest,
    deliver: (jobs: ActivatedJob[]) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const open = new Map<string, Promise<void>>();
    while (!signal.aborted) {
      for (const { node, address } of await this.otherLeaders(false).catch(() => [])) {
        if (open.has(node)) continue;
        const stream = this.streamFrom(address, request, deliver, signal)
          .catch(() => undefined) // the node is gone, or its connection broke: opened again if it still leads
          .finally(() => open.delete(node));
        open.set(node, stream);
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, STREAM_LOOK_EVERY_MS);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    await Promise.all(open.values());
  }

  /**
   * One node's job stream: `POST /internal/stream` answers with one JSON array of activated jobs per line
   * (an empty one now and then, to show the stream is alive). The next line is read only once `deliver`
   * took the last, so a slow client holds the node back through the connection. When `signal` aborts, the
   * node is asked to close the stream (`POST /internal/stream-close`), and what it wrote before it did is
   * still read and handed to `deliver` (which yields jobs its closed stream cannot take), as Zeebe yields a
   * push that finds its stream gone; a node that does not end the stream in time is cut off.
   */
  private async streamFrom(
    address: string,
    request: JobStreamRequest,
    deliver: (jobs: ActivatedJob[]) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    if (signal.aborted) return;
    const streamId = randomUUID();
    const connection = new AbortController();
    const close = () => {
      void this.call(address, '/internal/stream-close', { streamId }).catch(() => connection.abort());
      setTimeout(() => connection.abort(), STREAM_CLOSE_MS).unref();
    };
    signal.addEventListener('abort', close, { once: true });
    try {
      await this.readStream(address, { streamId, request }, deliver, connection.signal);
    } finally {
      signal.removeEventListener('abort', close);
    }
  }

  private async readStream(
    address: string,
    payload: unknown,
    deliver: (jobs: ActivatedJob[]) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await fetch(`${address}/internal/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}` },
      body: JSON.stringify(payload),
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const jobs = JSON.parse(pending.slice(0, end)) as ActivatedJob[];
        pending = pending.slice(end + 1);
        // Jobs that arrive after the stream closed are yielded by `deliver`.
        if (jobs.length > 0) await deliver(jobs);
      }
    }
  }

  async topology(local: readonly NodePartition[]): Promise<ClusterTopologyNode[]> {
    const [live, leaders] = await Promise.all([
      this.membership.liveNodes(this.liveWithinMs),
      this.membership.leaders(),
    ]);
    const nodes = live.map((n) => ({ node: n.node, address: n.address, internal: n.internalAddress }));
    if (this.address !== undefined && !nodes.some((n) => n.node === this.self))
      nodes.push({ node: this.self, address: this.address, internal: undefined });
    nodes.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    return Promise.all(
      nodes.map(async (n): Promise<ClusterTopologyNode> => {
        const self = n.node === this.self;
        if (self) return { node: n.node, address: n.address, self, partitions: [...local] };
        const answer =
          n.internal === undefined
            ? undefined
            : await this.call<NodePartition[]>(
                n.internal,
                '/internal/topology',
                {},
                TOPOLOGY_ANSWER_MS,
              ).catch(() => undefined);
        // A node that does not answer keeps the partitions it holds the lease of, none of them healthy.
        const partitions =
          answer && 'result' in answer
            ? answer.result
            : leaders
                .filter((l) => l.node === n.node)
                .map((l) => ({
                  partitionId: l.partitionId,
                  role: 'LEADER' as const,
                  health: 'UNHEALTHY' as const,
                }));
        return { node: n.node, address: n.address, self, partitions };
      }),
    );
  }

  async runningInstancesOf(processDefinitionKey: string, partitions: readonly number[]): Promise<number> {
    if (partitions.length === 0) return 0;
    await this.leaderOf(0, true);
    const byNode = new Map<string, { address: string | undefined; partitions: number[] }>();
    for (const partitionId of partitions) {
      const leader = this.leaders.get(partitionId);
      if (!leader || leader.node === this.self)
        throw new BatonError(
          'UNAVAILABLE',
          `partition ${partitionId} has no leader at the moment to count the running instances of '${processDefinitionKey}'; try again`,
        );
      const entry = byNode.get(leader.node) ?? { address: leader.internalAddress, partitions: [] };
      entry.partitions.push(partitionId);
      byNode.set(leader.node, entry);
    }
    let running = 0;
    for (const [node, entry] of byNode) {
      const answer = entry.address
        ? await this.call<{ running: number; counted: number[] }>(entry.address, '/internal/running', {
            processDefinitionKey,
            partitions: entry.partitions,
          }).catch(() => undefined)
        : undefined;
      const counted = answer && 'result' in answer ? answer.result.counted : [];
      const missing = entry.partitions.filter((p) => !counted.includes(p));
      if (missing.length > 0)
        throw new BatonError(
          'UNAVAILABLE',
          `node ${node} could not count the running instances of '${processDefinitionKey}' on partition(s) ${missing.join(', ')}; try again`,
        );
      running += answer && 'result' in answer ? answer.result.running : 0;
    }
    return running;
  }

  /** The other nodes that lead partitions now, once each, with their internal endpoints. */
  private async otherLeaders(fresh: boolean): Promise<{ node: string; address: string }[]> {
    await this.leaderOf(0, fresh);
    const nodes = new Map<string, string>();
    for (const { node, internalAddress } of this.leaders.values())
      if (node !== this.self && internalAddress) nodes.set(node, internalAddress);
    return [...nodes].map(([node, address]) => ({ node, address }));
  }

  private async leaderOf(partitionId: number, fresh: boolean): Promise<PartitionLeader | undefined> {
    if (fresh || Date.now() - this.readAt > LEADERS_FRESH_MS) {
      const leaders = await this.membership.leaders();
      this.leaders = new Map(leaders.map((l) => [l.partitionId, l]));
      this.readAt = Date.now();
    }
    return this.leaders.get(partitionId);
  }

  private async call<T>(
    address: string,
    path: string,
    payload: unknown,
    timeoutMs = 5_000,
  ): Promise<Answer<T>> {
    const response = await fetch(`${address}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}` },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as Answer<T>;
  }
}
