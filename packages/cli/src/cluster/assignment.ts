/**
 * Which live node should lead each partition, given who leads what now. Every node computes the same answer
 * from the same membership and lease table, and the answer is:
 *
 * - **even**: with n live nodes and P partitions every node gets ⌊P/n⌋ or ⌈P/n⌉ (the counts differ by one
 *   at most);
 * - **sticky**: a partition stays with its current leader unless that node is gone or leads more than its
 *   share; so a node that leaves moves only its own partitions, and a node that joins takes only its share,
 *   from the nodes that lead the most;
 * - **round-robin by default**: partition p's home is the ((p − 1) mod n)-th node of the sorted ids; a
 *   cluster starting with every node at once gets exactly that, a node keeps its home partitions first, and
 *   a partition to place goes home when its home has room.
 *
 * `current` maps a partition to its leader now (an unexpired lease); leaders that are not live, and
 * partitions missing from it, count as unled.
 */
export function desiredLeaders(
  partitionCount: number,
  liveNodes: readonly string[],
  current: ReadonlyMap<number, string> = new Map(),
): Map<number, string> {
  const nodes = [...new Set(liveNodes)].sort();
  const leaders = new Map<number, string>();
  if (nodes.length === 0) return leaders;
  const home = (p: number) => nodes[(p - 1) % nodes.length]!;
  const homeFirst = (node: string) => (a: number, b: number) =>
    Number(home(b) === node) - Number(home(a) === node) || a - b;

  // What each live node leads now.
  const led = new Map<string, number[]>(nodes.map((n) => [n, []]));
  for (const [p, node] of current) if (p >= 1 && p <= partitionCount) led.get(node)?.push(p);

  // Shares: ⌊P/n⌋ each, one more for P mod n nodes: those leading the most now (then by id), so that as few
  // partitions as possible move.
  const base = Math.floor(partitionCount / nodes.length);
  const byLoad = [...nodes].sort((a, b) => led.get(b)!.length - led.get(a)!.length || (a < b ? -1 : 1));
  const share = new Map(nodes.map((n) => [n, base]));
  for (const node of byLoad.slice(0, partitionCount % nodes.length)) share.set(node, base + 1);

  // Each node keeps up to its share of what it leads, home partitions first; `room` is what it may still take.
  const room = new Map<string, number>();
  for (const node of nodes) {
    const kept = led.get(node)!.sort(homeFirst(node)).slice(0, share.get(node));
    for (const p of kept) leaders.set(p, node);
    room.set(node, share.get(node)! - kept.length);
  }
  // The rest goes home if home has room, else to the node with the most room left (then by id).
  for (let p = 1; p <= partitionCount; p++) {
    if (leaders.has(p)) continue;
    const target =
      room.get(home(p))! > 0 ? home(p) : nodes.reduce((a, b) => (room.get(b)! > room.get(a)! ? b : a));
    leaders.set(p, target);
    room.set(target, room.get(target)! - 1);
  }
  return new Map([...leaders].sort(([a], [b]) => a - b));
}
