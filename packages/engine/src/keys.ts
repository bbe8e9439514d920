/** Bits of a 64-bit key that hold the key's partition-local counter; the partition id sits above them. */
export const PARTITION_BITS_OFFSET = 51n;
const LOCAL_MASK = (1n << PARTITION_BITS_OFFSET) - 1n;

/** The key used where a record has none. */
export const NO_KEY = '-1';

/** Encodes a partition id and a partition-local counter as a 64-bit key in decimal. */
export function encodeKey(partitionId: number, local: number): string {
  return ((BigInt(partitionId) << PARTITION_BITS_OFFSET) | BigInt(local)).toString();
}

/** The partition a key belongs to; throws on a string that is not a key (a bug, not input). */
export function partitionOfKey(key: string): number {
  return Number(BigInt(key) >> PARTITION_BITS_OFFSET);
}

export function localPartOfKey(key: string): number {
  return Number(BigInt(key) & LOCAL_MASK);
}

/** True when the string is a positive 64-bit decimal key. */
export function isKey(value: string): boolean {
  if (!/^[0-9]{1,20}$/.test(value)) return false;
  const n = BigInt(value);
  return n > 0n && n < 1n << 63n;
}

/**
 * Hands out keys for one partition. Its only state is the last local counter, which replay restores
 * from the keys it sees, so keys are never reused after a restart.
 */
export class KeyGenerator {
  private last = 0;
  constructor(private readonly partitionId: number) {}

  next(): string {
    this.last += 1;
    return encodeKey(this.partitionId, this.last);
  }

  /** Moves the counter past a key seen on the log. */
  observe(key: string): void {
    if (key === NO_KEY) return;
    if (partitionOfKey(key) !== this.partitionId) return;
    const local = localPartOfKey(key);
    if (local > this.last) this.last = local;
  }

  get current(): number {
    return this.last;
  }

  set current(value: number) {
    this.last = value;
  }
}
