import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ClusterNode, PartitionStats } from './cluster-node.js';

/** Append durations, in seconds: a commit on a nearby PostgreSQL takes a few milliseconds. */
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A cluster node's metrics, in the registry of the node's `/metrics`: the partitions it leads (with their
 * epochs) and how often it took, handed off and lost a leadership, labelled with the node id; and per
 * partition, its leader changes on this node, its lease renewals (taken and failed) and the duration of its
 * appends (a histogram; failed appends counted apart).
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
  registerPartitionMetrics(node, registry);
}

/** The per-partition metrics, labelled with the node and the partition. */
function registerPartitionMetrics(node: ClusterNode, registry: Registry): void {
  const labelsOf = (partitionId: number) => ({ node: node.nodeId, partition: String(partitionId) });
  const fromStats = (
    name: string,
    help: string,
    values: (p: PartitionStats) => [Record<string, string>, number][],
    extraLabels: string[] = [],
  ) =>
    new Counter({
      name,
      help,
      labelNames: ['node', 'partition', ...extraLabels],
      registers: [registry],
      collect() {
        // The node's counts only grow: each scrape reports them as they are.
        this.reset();
        for (const partition of node.stats().partitions)
          for (const [labels, value] of values(partition))
            if (value > 0) this.inc({ ...labelsOf(partition.partitionId), ...labels }, value);
      },
    });
  fromStats(
    'baton_cluster_leader_changes_total',
    'Leadership changes of each partition on this node: taken, handed_off (to another node) or lost (lease)',
    (p) => [
      [{ change: 'taken' }, p.leadershipsTaken],
      [{ change: 'handed_off' }, p.leadershipsHandedOff],
      [{ change: 'lost' }, p.leadershipsLost],
    ],
    ['change'],
  );
  fromStats(
    'baton_cluster_lease_renewals_total',
    'Lease renewals of each partition the database took',
    (p) => [[{}, p.leaseRenewals]],
  );
  fromStats(
    'baton_cluster_lease_renewal_failures_total',
    'Lease renewals of each partition refused (lease lost) or not answered (database unreachable)',
    (p) => [[{}, p.leaseRenewalFailures]],
  );
  const appendSeconds = new Histogram({
    name: 'baton_cluster_append_seconds',
    help: 'How long an append of a batch to each partition’s log in PostgreSQL took (fenced, committed)',
    labelNames: ['node', 'partition'],
    buckets: APPEND_BUCKETS,
    registers: [registry],
  });
  const appendFailures = new Counter({
    name: 'baton_cluster_append_failures_total',
    help: 'Appends to each partition’s log that failed (database unreachable, lease lost)',
    labelNames: ['node', 'partition'],
    registers: [registry],
  });
  node.onAppend((partitionId, seconds, ok) => {
    if (ok) appendSeconds.observe(labelsOf(partitionId), seconds);
    else appendFailures.inc(labelsOf(partitionId));
  });
}
