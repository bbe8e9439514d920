import type { BatchOperation, CommandBody, LoggedRecord } from '@baton-engine/engine';
import { ENDED_BATCH_STATES } from '@baton-engine/engine';
import type { PartitionRuntime } from './partition.js';
import type { BatchItemCommands, BatchOperationItemSource } from './batch-operation-items.js';
import { executeItem, isTransient } from './batch-operation-items.js';
import { BatonError } from '../errors.js';

/** Items whose commands are in flight at once per batch operation (one EXECUTE and one RECORD_OUTCOMES each). */
const WINDOW = 16;
/** How long a batch operation waits after a transient failure (back pressure, a partition moving) to go on. */
const RETRY_DELAY_MS = 500;

type Submit = (body: CommandBody, key: string) => Promise<LoggedRecord>;

/**
 * Runs the batch operations of the partitions this engine hosts, outside the state machine (as the job
 * dispatcher and the exporter director do): after commit it finds each operation's items through the item
 * source and records them (CREATE_CHUNK), records which items it is about to act on (EXECUTE), sends each
 * item's command through the normal command path and records the outcomes (RECORD_OUTCOMES). Everything it
 * knows is in the partition's state, so after a restart it goes on where the log says it stopped: an item
 * whose command may have been sent without its outcome recorded is sent again, and a rejection then is checked
 * against the effect the first send would have had.
 */
export class BatchOperationCoordinator {
  private source: BatchOperationItemSource | undefined;
  private readonly running = new Map<string, Promise<void>>();
  /** Operations woken while they were running: they look at their state again when the run ends. */
  private readonly again = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly partitions: readonly PartitionRuntime[],
    private readonly submit: Submit,
    private readonly commands: BatchItemCommands,
    private readonly warn: (message: string) => void,
  ) {
    for (const partition of partitions) this.add(partition);
  }

  /** Follows a partition's commits (also one hosted later) and takes up its unfinished operations. */
  add(partition: PartitionRuntime): void {
    partition.onCommit((records) => {
      for (const record of records)
        if (
          record.valueType === 'BATCH_OPERATION' &&
          record.recordType === 'EVENT' &&
          (record.intent === 'CREATED' || record.intent === 'RESUMED')
        )
          this.wake(record.key);
    });
    this.takeUp(partition);
  }

  /** Starts running batch operations with the items found by `source` (the read model). */
  start(source: BatchOperationItemSource): () => void {
    this.source = source;
    for (const partition of this.partitions) this.takeUp(partition);
    return () => {
      if (this.source === source) this.source = undefined;
    };
  }

  /** Stops taking up work and waits for the runs in flight (their commands end, or fail as the engine closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private takeUp(partition: PartitionRuntime): void {
    for (const operation of partition.engineState.batchOperations.all())
      if (!ENDED_BATCH_STATES.has(operation.state)) this.wake(operation.key);
  }

  private wake(key: string): void {
    if (this.stopped || !this.source) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    const run = this.run(key, this.source)
      .catch((error: unknown) => {
        if (this.stopped) return;
        if (!isTransient(error))
          this.warn(`batch operation '${key}' stopped: ${(error as Error)?.message ?? String(error)}`);
        this.later(key);
      })
      .finally(() => {
        this.running.delete(key);
        if (this.again.delete(key)) this.wake(key);
      });
    this.running.set(key, run);
  }

  private later(key: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.wake(key);
    }, RETRY_DELAY_MS);
    timer.unref();
    this.timers.add(timer);
  }

  /** The operation as its (hosted) partition's state has it now. */
  private operation(key: string): Readonly<BatchOperation> | undefined {
    for (const partition of this.partitions) {
      const operation = partition.engineState.batchOperations.get(key);
      if (operation) return operation;
    }
    return undefined;
  }

  private async run(key: string, source: BatchOperationItemSource): Promise<void> {
    let queue: string[] | undefined;
    let next = 0;
    for (;;) {
      const operation = this.operation(key);
      if (this.stopped || !operation || ENDED_BATCH_STATES.has(operation.state)) return;
      if (operation.state === 'SUSPENDED') return;
      if (!operation.initialized) {
        let page: Awaited<ReturnType<BatchOperationItemSource['items']>>;
        try {
          page = await source.items(operation, operation.cursor);
        } catch (error) {
          const message = (error as Error)?.message ?? String(error);
          await this.record(key, {
            valueType: 'BATCH_OPERATION',
            intent: 'FAIL',
            value: { partitionId: partitionOf(this.partitions, key), type: 'QUERY_FAILED', message },
          });
          return;
        }
        await this.record(key, { valueType: 'BATCH_OPERATION', intent: 'CREATE_CHUNK', value: page });
        continue;
      }
      // The items still to act on, in the order they were recorded: listed once a run, walked window by window.
      queue ??= [...operation.items.values()].filter((i) => i.state === 'ACTIVE').map((i) => i.itemKey);
      const start = next;
      const window = [];
      while (next < queue.length && window.length < WINDOW) {
        const item = operation.items.get(queue[next++]!);
        if (item?.state !== 'ACTIVE') continue;
        window.push({
          item: { itemKey: item.itemKey, processInstanceKey: item.processInstanceKey },
          retry: !!item.sent,
        });
      }
      if (window.length === 0) return;
      const fresh = window.filter((w) => !w.retry).map((w) => w.item.itemKey);
      if (fresh.length > 0) {
        const accepted = await this.record(key, {
          valueType: 'BATCH_OPERATION',
          intent: 'EXECUTE',
          value: { itemKeys: fresh },
        });
        // Suspended or cancelled meanwhile: the state says what to do next.
        if (!accepted) {
          next = start;
          continue;
        }
      }
      const settled = await Promise.allSettled(
        window.map((w) => executeItem(operation, w.item, w.retry, this.commands, source)),
      );
      const outcomes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      if (outcomes.length > 0)
        await this.record(key, {
          valueType: 'BATCH_OPERATION',
          intent: 'RECORD_OUTCOMES',
          value: { outcomes },
        });
      const unknown = settled.find((s) => s.status === 'rejected');
      // An outcome that is not known yet (back pressure, a partition moving): those items go again later.
      if (unknown) throw unknown.reason;
    }
  }

  /**
   * Submits one of the operation's own commands; false when the partition refused it for the operation's
   * state (it changed meanwhile), which the next look at the state answers.
   */
  private async record(key: string, body: CommandBody): Promise<boolean> {
    try {
      await this.submit(body, key);
      return true;
    } catch (error) {
      if (error instanceof BatonError && (error.code === 'INVALID_STATE' || error.code === 'NOT_FOUND'))
        return false;
      throw error;
    }
  }
}

function partitionOf(partitions: readonly PartitionRuntime[], key: string): number {
  return partitions.find((p) => p.engineState.batchOperations.get(key))?.partitionId ?? 0;
}
