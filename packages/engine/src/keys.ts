/** Bits of a 64-bit key that hold the key's partition-local counter; the partition id sits above them. */
export const PARTITION_BITS_OFFSET = 51n;
const LOCAL_MASK = (1n << PARTITION_BITS_OFFSET) - 1n;

/** The key used where a record has none. */
export const NO_KEY = '-1';

/** 2^51 as a number: keys below 2^53 (partitions 1 to 3) are exact as numbers, and cheap to handle. */
const PARTITION_UNIT = 2 ** 51;

/** Encodes a partition id and a partition-local counter as a 64-bit key in decimal. */
export function encodeKey(partitionId: number, local: number): string {
  const n = partitionId * PARTITION_UNIT + local;
  // Numbers are exact up to 2^53; beyond that (partition 4 and up) BigInt does it.
  if (Number.isSafeInteger(n) && local >= 0 && local < PARTITION_UNIT && partitionId >= 0) return String(n);
  return ((BigInt(partitionId) << PARTITION_BITS_OFFSET) | BigInt(local)).toString();
}

/** The key as an exact number when it is all digits and below 2^53, else undefined (BigInt territory). */
function smallKey(key: string): number | undefined {
  if (key.length === 0 || key.length > 16) return undefined;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The partition a key belongs to; throws on a string that is not a key (a bug, not input). */
export function partitionOfKey(key: string): number {
  const n = smallKey(key);
  if (n !== undefined) return Math.floor(n / PARTITION_UNIT);
  return Number(BigInt(key) >> PARTITION_BITS_OFFSET);
}

export function localPartOfKey(key: string): number {
  const n = smallKey(key);
  if (n !== undefined) return n % PARTITION_UNIT;
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
    const n = smallKey(key);
    if (n !== undefined) {
      if (Math.floor(n / PARTITION_UNIT) !== this.partitionId) return;
      const local = n % PARTITION_UNIT;
      if (local > this.last) this.last = local;
      return;
    }
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
