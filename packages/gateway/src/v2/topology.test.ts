import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

describe('/v2/topology and /v2/status', () => {
  let server: V2TestServer;
  before(async () => {
    server = await startV2TestServer({ engine: { partitions: 2 } });
  });
  after(() => server.close());

  it('lists one broker leading every partition', async () => {
    const topology = (await server.app.inject({ method: 'GET', url: '/v2/topology' })).json();
    assert.equal(topology.clusterSize, 1);
    assert.equal(topology.partitionsCount, 2);
    assert.deepEqual(topology.brokers[0].partitions, [
      { partitionId: 1, role: 'leader', health: 'healthy' },
      { partitionId: 2, role: 'leader', health: 'healthy' },
    ]);
    assert.equal(typeof topology.gatewayVersion, 'string');
  });

  it('answers the status with 204 while the engine can write', async () => {
    const status = await server.app.inject({ method: 'GET', url: '/v2/status' });
    assert.equal(status.statusCode, 204);
  });
});
