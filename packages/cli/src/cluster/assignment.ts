/**
 * Which live node should lead each partition: the nodes sorted by id, partition p to the ((p - 1) mod n)-th.
 * Every node computes the same answer from the same membership list, the partitions spread evenly (the
 * counts differ by one at most), and a node that joins or leaves moves only the partitions it must.
 */
export function desiredLeaders(partitionCount: number, liveNodes: readonly string[]): Map<number, string> {
  const nodes = [...new Set(liveNodes)].sort();
  const leaders = new Map<number, string>();
  if (nodes.length === 0) return leaders;
  for (let p = 1; p <= partitionCount; p++) leaders.set(p, nodes[(p - 1) % nodes.length]!);
  return leaders;
}
