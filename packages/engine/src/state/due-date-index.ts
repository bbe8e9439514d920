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
 */
export class DueDateIndex {
  private heap: DueItem[] = [];

  constructor(private readonly isCurrent: (item: DueItem) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  add(item: DueItem): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= item.due) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): DueItem | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.due < heap[left]!.due ? right : left;
      if (heap[child]!.due >= last.due) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** The earliest current due date, dropping stale entries on the way. */
  next(): number | undefined {
    while (this.heap.length > 0 && !this.isCurrent(this.heap[0]!)) this.pop();
    return this.heap[0]?.due;
  }

  /** Current items due at or before `now`, earliest first; they stay in the index until the state drops them. */
  due(now: number, limit: number): DueItem[] {
    const out: DueItem[] = [];
    const seen: DueItem[] = [];
    while (out.length < limit && this.heap.length > 0 && this.heap[0]!.due <= now) {
      const item = this.pop()!;
      if (!this.isCurrent(item)) continue;
      seen.push(item);
      out.push(item);
    }
    for (const item of seen) this.add(item);
    return out;
  }
}
