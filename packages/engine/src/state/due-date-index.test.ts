import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DueDateIndex } from './due-date-index.js';
import type { DueItem } from './due-date-index.js';

describe('due-date index', () => {
  it('hands out current items in due order, skips stale ones, and keeps what it handed out', () => {
    const stale = new Set<string>();
    const index = new DueDateIndex((item) => !stale.has(item.key));
    const items: DueItem[] = [];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 2_000; i++) {
      const item: DueItem = { due: 1_800_000_000_000 + (random() % 5_000), key: `k${i}`, kind: 'TIMER' };
      items.push(item);
      index.add(item);
      if (random() % 4 === 0) stale.add(item.key);
    }
    const current = items.filter((item) => !stale.has(item.key)).sort((a, b) => a.due - b.due || 0);
    assert.equal(index.next(), current[0]!.due);
    const now = 1_800_000_002_500;
    const due = index.due(now, 10_000);
    assert.deepEqual(
      due.map((item) => item.due),
      current.filter((item) => item.due <= now).map((item) => item.due),
    );
    assert.deepEqual(new Set(due.map((item) => item.key)).size, due.length);
    // Handed-out items stay until the state drops them; stale ones are gone.
    assert.equal(index.due(now, 10_000).length, due.length);
    for (const item of due) stale.add(item.key);
    assert.equal(index.next(), current.find((item) => item.due > now)?.due);
    assert.deepEqual(index.due(now, 5), []);
    assert.equal(index.due(Infinity, 3).length, 3, 'the limit holds');
  });
});
