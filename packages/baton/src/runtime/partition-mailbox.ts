import type { CommandBody } from '@baton-engine/engine';

/**
 * One command for a partition that may be led on another node, as the mailbox keeps it until that partition
 * has taken it: a message or signal handed over from a source partition (`handOver`, taken exactly once by
 * its source position), or a deployment to distribute (idempotent by key).
 */
export interface MailItem {
  readonly target: number;
  readonly source: number;
  /** The position of the record on the source partition that this item carries. */
  readonly sourcePosition: number;
  readonly kind: 'hand-over' | 'deployment';
  readonly key: string;
  readonly body: CommandBody;
}

/**
 * Cross-partition traffic between nodes through the shared database (PostgreSQL in a cluster): a source
 * partition's leader posts, each target partition's leader takes. Posting is idempotent by (target, source,
 * source position, kind), so a new leader may post again what its predecessor did.
 */
export interface PartitionMailbox {
  /**
   * Stores the items, and that `source` posted everything up to `upTo` of its log (for `posted`). The items
   * and the position are written together.
   */
  post(source: number, upTo: number, items: readonly MailItem[]): Promise<void>;
  /** Up to which position of its log `source` has posted everything (0 if never). */
  posted(source: number): Promise<number>;
  /** The items waiting for `target`, per source in source-position order; at most `limit`. */
  waiting(target: number, limit: number): Promise<MailItem[]>;
  /** Removes items once their target took them. */
  remove(items: readonly MailItem[]): Promise<void>;
}
