import type { CommandBody, LoggedRecord } from '@baton-engine/engine';
import { BatonError } from '../errors.js';
import { deploymentDistribution } from './deployments.js';
import { handedOver, handOverCommand } from './event-distribution.js';
import type { PartitionRuntime } from './partition.js';
import type { MailItem, PartitionMailbox } from './partition-mailbox.js';

/** Records read per step while catching up on a source partition's log. */
const PAGE = 1_000;
/** How often a target looks for items (a post from this node wakes it at once). */
const POLL_MS = 100;
const MAX_RETRY_MS = 5_000;
/** A source with nothing to hand over still records how far it got every so many positions. */
const MARK_EVERY = 10_000;
/** The log hold of a source partition: kept from the last position not yet posted on. */
const HOLDER = 'mailbox';

/**
 * Cross-partition traffic when the partitions are led by several nodes: every hosted partition posts what
 * it hands to the others (its home messages, the signals thrown on it, its deployments) to the mailbox after
 * commit, and takes what the others posted for it. A target takes a hand-over exactly once (its state
 * keeps the last source position taken, so a repeat is skipped or refused as ALREADY_EXISTS) and a deployment
 * at least once (distributing it is idempotent). A new leader of a source posts again from the position its
 * predecessor recorded, so a post lost to a crash is made by the next leader.
 */
export class MailboxLinks {
  private readonly outboxes = new Map<PartitionRuntime, Outbox>();
  private readonly inboxes = new Map<PartitionRuntime, Inbox>();

  constructor(
    private readonly mailbox: PartitionMailbox,
    private readonly partitionCount: number,
  ) {}

  /** Follows the hosted partitions: links for those added, none for those gone. */
  sync(partitions: readonly PartitionRuntime[]): void {
    for (const [partition, outbox] of this.outboxes) {
      if (partitions.includes(partition)) continue;
      outbox.stop();
      this.inboxes.get(partition)?.stop();
      this.outboxes.delete(partition);
      this.inboxes.delete(partition);
    }
    for (const partition of partitions) {
      if (this.outboxes.has(partition)) continue;
      const inbox = new Inbox(partition, this.mailbox);
      this.inboxes.set(partition, inbox);
      this.outboxes.set(
        partition,
        new Outbox(partition, this.mailbox, this.partitionCount, (targets) => {
          for (const [p, box] of this.inboxes) if (targets.has(p.partitionId)) box.wake();
        }),
      );
      inbox.wake();
    }
  }

  stop(): void {
    for (const outbox of this.outboxes.values()) outbox.stop();
    for (const inbox of this.inboxes.values()) inbox.stop();
    this.outboxes.clear();
    this.inboxes.clear();
  }
}

/** Posts what one source partition hands over, in log order, one post at a time. */
class Outbox {
  private chain: Promise<void>;
  private stopped = false;
  /** Up to where everything was posted (or had nothing to post), as this leader knows it. */
  private postedUpTo = 0;
  private markedUpTo = 0;
  private readonly off: () => void;

  constructor(
    private readonly source: PartitionRuntime,
    private readonly mailbox: PartitionMailbox,
    private readonly partitionCount: number,
    private readonly posted: (targets: Set<number>) => void,
  ) {
    // Nothing may be compacted until the catch-up knows what was posted before.
    source.holdLog(HOLDER, 0);
    const queued: (readonly LoggedRecord[])[] = [];
    let caughtUp = false;
    this.off = source.onCommit((records) => {
      if (caughtUp) this.enqueue(records);
      else queued.push(records);
    });
    this.chain = this.retrying(async () => {
      this.postedUpTo = this.markedUpTo = await mailbox.posted(source.partitionId);
      for (let from = this.postedUpTo + 1; ;) {
        const records = await source.readLog(from, PAGE);
        if (records.length === 0) break;
        await this.post(records);
        from = records[records.length - 1]!.position + 1;
      }
    }).then(() => {
      caughtUp = true;
      for (const records of queued.splice(0)) this.enqueue(records);
    });
  }

  stop(): void {
    this.stopped = true;
    this.off();
  }

  private enqueue(records: readonly LoggedRecord[]): void {
    this.chain = this.chain.then(() => this.retrying(() => this.post(records)));
  }

  /** Posts the items of committed records that follow what was posted already. */
  private async post(records: readonly LoggedRecord[]): Promise<void> {
    const fresh = records.filter((r) => r.position > this.postedUpTo);
    const last = fresh[fresh.length - 1]?.position;
    if (last === undefined) return;
    const items = fresh.flatMap((record) => this.itemsOf(record));
    if (items.length > 0 || last - this.markedUpTo >= MARK_EVERY) {
      await this.mailbox.post(this.source.partitionId, last, items);
      this.markedUpTo = last;
    }
    this.postedUpTo = last;
    this.source.holdLog(HOLDER, last);
    if (items.length > 0) this.posted(new Set(items.map((i) => i.target)));
  }

  private itemsOf(record: LoggedRecord): MailItem[] {
    const source = this.source.partitionId;
    let body: CommandBody | undefined;
    let kind: MailItem['kind'] = 'hand-over';
    if (handedOver(this.source, record)) {
      body = handOverCommand(record, { sourcePosition: record.position, previousPosition: 0 });
    } else if (
      record.recordType === 'EVENT' &&
      record.valueType === 'DEPLOYMENT' &&
      record.intent === 'CREATED'
    ) {
      const value = deploymentDistribution(this.source.engineState, record.key);
      if (value) body = { valueType: 'DEPLOYMENT', intent: 'DISTRIBUTE', value };
      kind = 'deployment';
    }
    if (!body) return [];
    const items: MailItem[] = [];
    for (let target = 1; target <= this.partitionCount; target++) {
      if (target === source) continue;
      items.push({ target, source, sourcePosition: record.position, kind, key: record.key, body });
    }
    return items;
  }

  /** Runs a step until it succeeds (the database may be out of reach for a while), or the outbox stops. */
  private async retrying(step: () => Promise<void>): Promise<void> {
    for (let delay = 100; !this.stopped; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        await step();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }
}

/** Takes what the other partitions posted for one target partition. */
class Inbox {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;

  constructor(
    private readonly target: PartitionRuntime,
    private readonly mailbox: PartitionMailbox,
  ) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    this.running = true;
    let more = false;
    try {
      more = await this.takeSome();
    } catch {
      // The database or the partition is unavailable for now: the next round tries again.
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (more || this.again) {
      this.again = false;
      setImmediate(() => this.wake());
      return;
    }
    this.timer = setTimeout(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  /** Takes a page of waiting items; true if there may be more. */
  private async takeSome(): Promise<boolean> {
    const limit = 200;
    const items = await this.mailbox.waiting(this.target.partitionId, limit);
    const taken: MailItem[] = [];
    const blocked = new Set<number>();
    try {
      for (const item of items) {
        if (this.stopped) break;
        if (blocked.has(item.source)) continue;
        if (await this.take(item)) taken.push(item);
        else blocked.add(item.source); // in order per source: the rest waits for the next round
      }
    } finally {
      if (taken.length > 0) await this.mailbox.remove(taken);
    }
    return items.length === limit && blocked.size === 0;
  }

  private async take(item: MailItem): Promise<boolean> {
    const state = this.target.engineState;
    let body = item.body;
    if (item.kind === 'hand-over') {
      const last = state.handOverPosition(item.source);
      if (item.sourcePosition <= last) return true;
      const handOver = { sourcePosition: item.sourcePosition, previousPosition: last };
      body = { ...body, value: { ...body.value, handOver } } as CommandBody;
    }
    try {
      await this.target.submit(body, item.key);
      return true;
    } catch (error) {
      return error instanceof BatonError && error.code === 'ALREADY_EXISTS';
    }
  }
}
