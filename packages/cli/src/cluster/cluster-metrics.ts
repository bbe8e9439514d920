import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ClusterNode } from './cluster-node.js';

/**
 * A cluster node's metrics, in the registry of the node's `/metrics`: the partitions it leads (with their
 * epochs) and how often it took, handed off and lost a leadership, labelled with the node id.
 */
export function registerClusterMetrics(node: ClusterNode, registry: Registry): void {
  const labels = { node: node.nodeId };
  new Gauge({
    name: 'baton_cluster_partitions_led',
    help: 'Partitions this node leads now',
    labelNames: ['node'],
    registers: [registry],
    collect() {
      this.set(labels, node.stats().leading.length);
    },
  });
  new Gauge({
    name: 'baton_cluster_partition_epoch',
    help: 'The lease epoch of each partition this node leads (a change of leader increments it)',
    labelNames: ['node', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { partitionId, epoch } of node.stats().leading)
        this.set({ ...labels, partition: String(partitionId) }, epoch);
    },
  });
  const changes = [
    ['baton_cluster_leaderships_taken_total', 'Partitions this node became leader of', 'leadershipsTaken'],
    [
      'baton_cluster_leaderships_handed_off_total',
      'Partitions this node handed off to another node',
      'leadershipsHandedOff',
    ],
    ['baton_cluster_leaderships_lost_total', 'Partitions whose lease this node lost', 'leadershipsLost'],
  ] as const;
  for (const [name, help, field] of changes) {
    let reported = 0;
    new Counter({
      name,
      help,
      labelNames: ['node'],
      registers: [registry],
      collect() {
        const now = node.stats()[field];
        if (now > reported) this.inc(labels, now - reported);
        reported = now;
      },
    });
  }
}
