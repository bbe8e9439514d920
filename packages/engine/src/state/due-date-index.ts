/** What falls due: a job deadline or back-off, a timer, or a buffered message's expiry. */
export type DueKind = 'JOB_TIME_OUT' | 'JOB_BACKOFF' | 'TIMER' | 'MESSAGE_EXPIRY';

export interface DueItem {
  readonly due: number;
  readonly key: string;
  readonly kind: DueKind;
}

/**
 * A min-heap of due dates. Entries are never removed on cancel: whoever reads checks them against the state
 * (`isCurrent`) and drops stale ones, so adding and cancelling stay O(log n) and O(1).
 *
 * Kept as three parallel arrays rather than an array of items: a million waiting timers cost 24 bytes
 * each here (the due dates unboxed in a double array) instead of ~70 for an item object and its boxed number.
 */
export class DueDateIndex {
  private dues: number[] = [];
  private keys: string[] = [];
  private kinds: DueKind[] = [];

  constructor(private readonly isCurrent: (item: DueItem) => boolean) {}

  get size(): number {
    return this.dues.length;
  }

  add(item: DueItem): void {
    const { dues, keys, kinds } = this;
    let i = dues.length;
    dues.push(item.due);
    keys.push(item.key);
    kinds.push(item.kind);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (dues[parent]! <= item.due) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, item.due, item.key, item.kind);
  }

  private move(from: number, to: number): void {
    this.set(to, this.dues[from]!, this.keys[from]!, this.kinds[from]!);
  }

  private set(i: number, due: number, key: string, kind: DueKind): void {
    this.dues[i] = due;
    this.keys[i] = key;
    this.kinds[i] = kind;
  }

  private top(): DueItem {
    return { due: this.dues[0]!, key: this.keys[0]!, kind: this.kinds[0]! };
  }

  private pop(): DueItem {
    const { dues, keys, kinds } = this;
    const top = this.top();
    const due = dues.pop()!;
    const key = keys.pop()!;
    const kind = kinds.pop()!;
    const length = dues.length;
    if (length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && dues[right]! < dues[left]! ? right : left;
      if (dues[child]! >= due) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, due, key, kind);
    return top;
  }

  /** The earliest current due date, dropping stale entries on the way. */
  next(): number | undefined {
    while (this.dues.length > 0 && !this.isCurrent(this.top())) this.pop();
    return this.dues[0];
  }

  /** Current items due at or before `now`, earliest first; they stay in the index until the state drops them. */
  due(now: number, limit: number): DueItem[] {
    const out: DueItem[] = [];
    while (out.length < limit && this.dues.length > 0 && this.dues[0]! <= now) {
      const item = this.pop();
      if (this.isCurrent(item)) out.push(item);
    }
    for (const item of out) this.add(item);
    return out;
  }
}
