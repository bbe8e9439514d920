import type { CommandBody, HandOver, LoggedRecord } from '@baton-engine/engine';
import { partitionOfKey } from '@baton-engine/engine';
import { BatonError } from '../errors.js';
import type { PartitionRuntime } from './partition.js';

/** Records read per step while catching up on a source partition's log. */
const PAGE = 1_000;
/**
 * Pause before a link that lost a hand-over starts again from the target's last one; doubled while the target
 * keeps refusing (e.g. a hand-over it cannot process), up to the maximum.
 */
const RESYNC_MS = 200;
const MAX_RESYNC_MS = 30_000;

/**
 * Messages and signals reach every partition: a message published on its home partition (or a signal
 * thrown on any) is handed, once committed, to the other partitions under the same key. Each target takes
 * each hand-over exactly once and in order (the engine checks the source position it carries), so a link
 * may repeat itself freely: at start-up it re-reads the source's log from the last hand-over the target
 * took, and after a lost hand-over (back-pressure, a crash) it does the same. The source keeps its log until
 * every target has taken what is in it.
 */
export function distributeEvents(partitions: readonly PartitionRuntime[]): { stop(): void } {
  const links: HandOverLink[] = [];
  if (partitions.length > 1) {
    for (const source of partitions) {
      const outgoing = partitions.filter((t) => t !== source).map((t) => new HandOverLink(source, t));
      links.push(...outgoing);
      // Each committed batch is looked through once per source, whatever the number of targets.
      source.onCommit((records) => {
        const last = records[records.length - 1]?.position;
        if (last === undefined) return;
        const handed = records.filter((r): r is HandOverEvent => handedOver(source, r));
        for (const link of outgoing) link.committed(last, handed);
      });
    }
  }
  for (const link of links) link.start();
  return { stop: () => links.forEach((link) => link.stop()) };
}

/** A message published or a signal broadcast: the events a partition hands over. */
type HandOverEvent = Extract<
  LoggedRecord,
  { readonly recordType: 'EVENT'; readonly valueType: 'MESSAGE' | 'SIGNAL' }
>;

/** What a source partition hands to the others: its home messages and the signals thrown on it. */
export function handedOver(source: PartitionRuntime, record: LoggedRecord): record is HandOverEvent {
  if (record.recordType !== 'EVENT') return false;
  if (record.valueType === 'MESSAGE')
    return record.intent === 'PUBLISHED' && partitionOfKey(record.key) === source.partitionId;
  return record.valueType === 'SIGNAL' && record.intent === 'BROADCASTED' && !record.value.distributed;
}

/** Hands one source partition's messages and signals to one target partition. */
class HandOverLink {
  /** Source position of the last hand-over sent (the target checks that it follows its last one). */
  private lastSent = 0;
  /** Committed source records seen so far; everything up to here is handed over once nothing is in flight. */
  private lastSeen = 0;
  private inFlight = 0;
  /** Records held back while the link catches up on the log, so that hand-overs stay in order. */
  private held: HandOverEvent[] | undefined = [];
  private catchingUp = false;
  /** A hand-over was lost while catching up: catch up once more when done. */
  private lostMeanwhile = false;
  /**
   * A hand-over was lost and not yet sent again: the log hold must stay below it (so the source
   * keeps that part of its log for the next catch-up, in this process or after a restart).
   */
  private lost = false;
  private stopped = false;
  private resyncDelay = RESYNC_MS;
  private readonly holderId: string;

  constructor(
    private readonly source: PartitionRuntime,
    private readonly target: PartitionRuntime,
  ) {
    this.holderId = `hand-over-to-${target.partitionId}`;
  }

  start(): void {
    const taken = this.target.engineState.handOverPosition(this.source.partitionId);
    this.source.holdLog(this.holderId, taken);
    void this.catchUp();
  }

  /** A batch was committed on the source, up to `lastPosition`; `handed` are its records to hand over. */
  committed(lastPosition: number, handed: readonly HandOverEvent[]): void {
    if (this.stopped) return;
    this.lastSeen = lastPosition;
    for (const record of handed) {
      if (this.held) this.held.push(record);
      else this.send(record);
    }
    this.release();
  }

  /**
   * Stops handing over (the engine is closing): the log hold stays where everything before it was
   * taken, and the next start catches up on the rest.
   */
  stop(): void {
    this.stopped = true;
    this.lost = true;
  }

  /** Re-reads the source's log after the target's last hand-over and sends what it has not taken. */
  private async catchUp(): Promise<void> {
    this.held ??= [];
    this.catchingUp = true;
    this.lostMeanwhile = false;
    this.lost = false;
    try {
      const taken = this.target.engineState.handOverPosition(this.source.partitionId);
      this.lastSent = taken;
      for (let from = taken + 1; ;) {
        const records = await this.source.readLog(from, PAGE);
        if (records.length === 0) break;
        for (const record of records) if (handedOver(this.source, record)) this.send(record);
        from = records[records.length - 1]!.position + 1;
      }
      const held = this.held.filter((r) => r.position > this.lastSent);
      this.held = undefined;
      for (const record of held) this.send(record);
      this.release();
    } catch {
      // The source or target is closing; the next start catches up from the target's state.
    } finally {
      this.catchingUp = false;
    }
    if (this.lostMeanwhile) this.resync();
  }

  private send(record: HandOverEvent): void {
    const handOver = { sourcePosition: record.position, previousPosition: this.lastSent };
    this.lastSent = record.position;
    this.inFlight += 1;
    this.target.submit(handOverCommand(record, handOver), record.key).then(
      () => {
        this.inFlight -= 1;
        this.resyncDelay = RESYNC_MS;
        if (!this.lost) this.source.holdLog(this.holderId, record.position);
        this.release();
      },
      (error: unknown) => {
        this.inFlight -= 1;
        // Taken before (a repeat after a restart): nothing to do. Anything else lost this hand-over (and
        // the target refuses those after it): the log is kept from here, and the link starts again from
        // what the target has — at once, or on the next start when the target is closing.
        if (error instanceof BatonError && error.code === 'ALREADY_EXISTS') return;
        this.lost = true;
        if (!this.stopped) this.resync();
      },
    );
  }

  /** With nothing in flight or held, everything the source committed is handed over. */
  private release(): void {
    if (this.inFlight === 0 && !this.held && !this.lost && this.lastSeen > 0)
      this.source.holdLog(this.holderId, this.lastSeen);
  }

  private resync(): void {
    if (this.stopped) return;
    if (this.catchingUp) {
      this.lostMeanwhile = true;
      return;
    }
    if (this.held) return; // a catch-up is scheduled already
    this.held = [];
    setTimeout(() => void this.catchUp(), this.resyncDelay).unref();
    this.resyncDelay = Math.min(this.resyncDelay * 2, MAX_RESYNC_MS);
  }
}

/** The command that hands a message or signal over to another partition. */
export function handOverCommand(record: HandOverEvent, handOver: HandOver): CommandBody {
  return record.valueType === 'MESSAGE'
    ? { valueType: 'MESSAGE', intent: 'PUBLISH', value: { ...record.value, handOver } }
    : {
        valueType: 'SIGNAL',
        intent: 'BROADCAST',
        value: {
          ...(record.value as { signalName: string; variables: Record<string, unknown> }),
          distributed: true,
          handOver,
        },
      };
}

/** The partition that owns a correlation key (where its message ids are checked). */
export function homePartition(correlationKey: string, count: number): number {
  let hash = 0;
  for (let i = 0; i < correlationKey.length; i++) hash = (hash * 31 + correlationKey.charCodeAt(i)) | 0;
  return Math.abs(hash) % count;
}
