/**
 * A write refused because the writer no longer holds the partition's lease: another node took it (a higher
 * epoch), or it expired by the database's clock. Nothing of the refused write was stored. The writer must
 * step down; it may lead again only by acquiring the lease anew (with a new epoch).
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly code = 'LEASE_LOST';

  constructor(
    readonly partitionId: number,
    readonly node: string,
    readonly epoch: number,
    reason: string,
  ) {
    super(`partition ${partitionId}: node ${node} no longer leads it at epoch ${epoch}: ${reason}`);
  }
}
