import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredLeaders } from './assignment.js';

describe('desiredLeaders', () => {
  it('spreads the partitions evenly over the live nodes, whatever order they are listed in', () => {
    const leaders = desiredLeaders(6, ['n3', 'n1', 'n2']);
    assert.deepEqual(
      [...leaders],
      [
        [1, 'n1'],
        [2, 'n2'],
        [3, 'n3'],
        [4, 'n1'],
        [5, 'n2'],
        [6, 'n3'],
      ],
    );
    assert.deepEqual(desiredLeaders(6, ['n2', 'n1', 'n3']), leaders);
  });

  it('gives one node every partition, and no node none', () => {
    assert.deepEqual([...desiredLeaders(3, ['n1']).values()], ['n1', 'n1', 'n1']);
    assert.equal(desiredLeaders(3, []).size, 0);
  });

  it('counts per node differ by one at most', () => {
    for (let nodes = 1; nodes <= 5; nodes++) {
      const names = Array.from({ length: nodes }, (_, i) => `node-${i}`);
      const counts = new Map<string, number>();
      for (const node of desiredLeaders(7, names).values()) counts.set(node, (counts.get(node) ?? 0) + 1);
      const values = names.map((n) => counts.get(n) ?? 0);
      assert.ok(Math.max(...values) - Math.min(...values) <= 1, `${nodes} nodes: ${values.join(',')}`);
    }
  });
});
