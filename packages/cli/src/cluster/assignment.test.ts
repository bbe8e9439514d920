import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredLeaders } from './assignment.js';

/** How many partitions each node gets. */
function counts(leaders: Map<number, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const node of leaders.values()) out.set(node, (out.get(node) ?? 0) + 1);
  return out;
}

/** Partitions whose leader differs between two assignments. */
function moved(before: Map<number, string>, after: Map<number, string>): number[] {
  return [...after].filter(([p, node]) => before.get(p) !== node).map(([p]) => p);
}

function assertEven(leaders: Map<number, string>, nodes: string[], partitions: number, what: string): void {
  assert.equal(leaders.size, partitions, `${what}: every partition has a leader`);
  const values = nodes.map((n) => counts(leaders).get(n) ?? 0);
  assert.ok(Math.max(...values) - Math.min(...values) <= 1, `${what}: uneven ${values.join(',')}`);
}

/** A small deterministic random sequence, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

describe('desiredLeaders', () => {
  it('spreads the partitions round-robin over the live nodes when nobody leads yet, whatever their order', () => {
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
      assertEven(desiredLeaders(7, names), names, 7, `${nodes} nodes`);
    }
  });

  it('a node keeps its home partitions first: three partitions grown node by node end one per node in order', () => {
    let leaders = desiredLeaders(3, ['n1']);
    leaders = desiredLeaders(3, ['n1', 'n2'], leaders);
    assert.deepEqual([...leaders.values()], ['n1', 'n2', 'n1']);
    leaders = desiredLeaders(3, ['n1', 'n2', 'n3'], leaders);
    assert.deepEqual([...leaders.values()], ['n1', 'n2', 'n3']);
    // n3 killed: its partition goes home under two nodes (n1), and back to n3 when it returns.
    leaders = desiredLeaders(3, ['n1', 'n2'], leaders);
    assert.deepEqual([...leaders.values()], ['n1', 'n2', 'n1']);
    assert.deepEqual([...desiredLeaders(3, ['n1', 'n2', 'n3'], leaders).values()], ['n1', 'n2', 'n3']);
  });

  it('a node that leaves moves only its own partitions', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4'];
    const before = desiredLeaders(10, nodes);
    const after = desiredLeaders(10, ['n1', 'n3', 'n4'], before);
    const n2s = [...before].filter(([, n]) => n === 'n2').map(([p]) => p);
    assert.deepEqual(moved(before, after), n2s);
    assertEven(after, ['n1', 'n3', 'n4'], 10, 'after n2 left');
    // The plain round-robin would have moved most of them.
    assert.equal(moved(before, desiredLeaders(10, ['n1', 'n3', 'n4'])).length, 9);
  });

  it('a node that joins takes only its share, from the nodes leading the most', () => {
    const before = desiredLeaders(10, ['n1', 'n3', 'n4'], desiredLeaders(10, ['n1', 'n2', 'n3', 'n4']));
    const after = desiredLeaders(10, ['n1', 'n2', 'n3', 'n4'], before);
    const taken = moved(before, after);
    assert.equal(taken.length, 2, `moved ${taken.join(',')}`);
    for (const p of taken) assert.equal(after.get(p), 'n2');
    assertEven(after, ['n1', 'n2', 'n3', 'n4'], 10, 'after n2 came back');
  });

  it('leaders that are not live, and partitions out of range, count as unled', () => {
    const current = new Map([
      [1, 'gone'],
      [2, 'n2'],
      [9, 'n1'],
    ]);
    const leaders = desiredLeaders(3, ['n1', 'n2'], current);
    assert.equal(leaders.get(2), 'n2');
    assert.deepEqual([...leaders.keys()], [1, 2, 3]);
    assertEven(leaders, ['n1', 'n2'], 3, 'with a dead leader');
  });

  it('over random joins and leaves, stays even and moves exactly the partitions it must', () => {
    const next = random(17);
    const pool = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const partitions of [1, 3, 6, 7, 16]) {
      let live = ['a', 'b'];
      let leaders = desiredLeaders(partitions, live);
      for (let step = 0; step < 200; step++) {
        const joining = live.length === 1 || (live.length < pool.length && next() < 0.5);
        const node = joining
          ? pool.filter((n) => !live.includes(n))[Math.floor(next() * (pool.length - live.length))]!
          : live[Math.floor(next() * live.length)]!;
        const nextLive = joining ? [...live, node] : live.filter((n) => n !== node);
        const after = desiredLeaders(partitions, nextLive, leaders);
        assertEven(after, nextLive, partitions, `step ${step}`);
        const changed = moved(leaders, after);
        if (joining) {
          // Only to the newcomer, and only its share (⌊P/n⌋, or one more if the extra ones fall to it).
          for (const p of changed) assert.equal(after.get(p), node, `step ${step}: ${p} moved elsewhere`);
          assert.equal(changed.length, counts(after).get(node) ?? 0);
        } else {
          // Exactly the leaver's partitions.
          const its = [...leaders].filter(([, n]) => n === node).map(([p]) => p);
          assert.deepEqual(changed, its, `step ${step}: moved ${changed.join(',')}`);
        }
        // Computed again from its own result, the assignment stands (no further moves).
        assert.deepEqual(desiredLeaders(partitions, nextLive, after), after, `step ${step}: not stable`);
        leaders = after;
        live = nextLive;
      }
    }
  });
});
