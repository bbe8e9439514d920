import type { LeaseLostError } from './lease-lost-error.js';
import type { Fence } from './partition-leases.js';

/**
 * What a fenced store checks each write against: the node and epoch of the lease it writes under, and how
 * it learns of and reports a lost lease. `LeaseKeeper` is one.
 */
export interface WriteFence extends Fence {
  /** Set once the lease is known lost: writes are then refused with it without asking the database. */
  readonly lostError?: LeaseLostError | undefined;
  /** Told when the database refuses a write because the lease is no longer this node's at this epoch. */
  markLost?(error: LeaseLostError): void;
}
