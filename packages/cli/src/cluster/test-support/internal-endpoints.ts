// The other nodes as the tests of the forwarding side (`RemoteLeaders`) see them, without a database.
import type { Engine } from '@baton-engine/baton';
import type { PartitionLeader } from '@baton-engine/store-postgres';
import { freePort } from '../../test-server.js';
import { startInternalServer } from '../internal-server.js';

/**
 * Node `c` serves partitions 1 and 2 from `engine` (two partitions) behind its internal endpoint, started
 * here; node `b` holds the lease of partition 3 at an address where nothing listens (`nobody`).
 */
export async function nodesBAndC(engine: Engine, secret: string) {
  const internal = await startInternalServer(engine, secret, '127.0.0.1', 0);
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const leaders: PartitionLeader[] = [
    { partitionId: 1, node: 'c', epoch: 1, internalAddress: internal.address },
    { partitionId: 2, node: 'c', epoch: 1, internalAddress: internal.address },
    { partitionId: 3, node: 'b', epoch: 4, internalAddress: nobody },
  ];
  return { internal, nobody, leaders };
}
