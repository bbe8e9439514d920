import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { table } from '../output.js';
import { parsePostgresUrl } from '../postgres-store-url.js';

/**
 * `baton cluster status`: the nodes, each partition's leader, epoch and lease, its last position and the
 * cross-partition items waiting for it, read from the cluster's database (no node needs to be up).
 */
export function registerClusterCommands(program: Command, json: () => boolean): void {
  const cluster = program.command('cluster').description('inspect a cluster of Baton nodes on PostgreSQL');
  cluster
    .command('status')
    .description('nodes, partitions, leaders, epochs and lag, from the cluster’s database')
    .option(
      '--cluster <url>',
      'the cluster’s database, postgres://user@host:port/db?schema=name (env BATON_CLUSTER_URL)',
      process.env.BATON_CLUSTER_URL,
    )
    .action(async (options: { cluster?: string }) => {
      if (!options.cluster)
        throw new UsageError('give the cluster’s database with --cluster <url> or BATON_CLUSTER_URL');
      const { connectionString, schema } = parsePostgresUrl(options.cluster, '--cluster');
      const { clusterStatus } = await import('@baton-engine/store-postgres');
      const status = await clusterStatus(connectionString, schema);
      if (json()) {
        console.log(JSON.stringify(status, null, 2));
        return;
      }
      console.log(`cluster ${status.schema}: ${status.partitionCount ?? '?'} partitions\n`);
      console.log(
        table(
          status.nodes.map((n) => ({
            node: n.node,
            address: n.address,
            state: n.live ? 'live' : 'gone',
            'last seen': `${n.lastSeenMs} ms ago`,
            leading: n.leading.join(',') || '-',
          })),
        ),
      );
      console.log();
      console.log(
        table(
          status.partitions.map((p) => ({
            partition: p.partitionId,
            leader: p.leader ?? '(none)',
            epoch: p.epoch ?? '-',
            lease:
              p.leaseLeftMs === undefined ? '-' : p.leaseLeftMs > 0 ? `${p.leaseLeftMs} ms left` : 'expired',
            position: p.lastPosition,
            'mail waiting': p.mailWaiting,
          })),
        ),
      );
    });
}
