import type { Engine, NodePartition } from '@baton-engine/baton';
import { ZEEBE_VERSION } from './zeebe-proto.js';

/** One broker of Zeebe's topology: a Baton node, with the partitions it leads. */
export interface Broker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  readonly partitions: readonly NodePartition[];
}

/** The topology as Zeebe's gateway reports it (gRPC `Topology`, REST `GET /v2/topology`). */
export interface Topology {
  readonly brokers: readonly Broker[];
  readonly clusterSize: number;
  readonly partitionsCount: number;
  readonly replicationFactor: 1;
}

/**
 * The brokers of the cluster. A single engine is one broker leading every partition, at `self` (the address
 * the client reached). A cluster node lists every live node at the gRPC address it announced, numbered in the
 * order of their node ids, each with the partitions it leads and their health (a node leading none is listed
 * with none). Baton keeps one copy of each partition (PostgreSQL replicates the data): the replication factor
 * is 1 and every partition has a leader only.
 */
export async function topologyOf(engine: Engine, self: { host: string; port: number }): Promise<Topology> {
  const cluster = await engine.clusterTopology();
  if (!cluster) {
    return {
      brokers: [{ nodeId: 0, ...self, version: ZEEBE_VERSION, partitions: engine.topology().partitions }],
      clusterSize: 1,
      partitionsCount: engine.partitionCount,
      replicationFactor: 1,
    };
  }
  return {
    brokers: cluster.nodes.map((node, nodeId) => ({
      nodeId,
      ...hostAndPort(node.address),
      version: ZEEBE_VERSION,
      partitions: node.partitions,
    })),
    clusterSize: cluster.nodes.length,
    partitionsCount: cluster.partitionsCount,
    replicationFactor: 1,
  };
}

/** `host:port`, `[v6]:port` → host (brackets dropped) and port; a missing port is 0. */
export function hostAndPort(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(address);
  if (!match) return { host: address, port: 0 };
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}
