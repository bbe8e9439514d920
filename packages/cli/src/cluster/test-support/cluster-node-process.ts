// One Baton cluster node in a process of its own, for the cluster tests: it prints its leadership changes as
// JSON lines and answers the test's requests over IPC. It exits when the test goes away.
import type { LoggedRecord } from '@baton-engine/baton';
import { partitionsOf } from '@baton-engine/baton/internal';
import { loadConnectorsConfig, startConnectors } from '@baton-engine/connectors';
import { NO_AUTHENTICATION, startGrpcGateway } from '@baton-engine/gateway';
import { createPostgresStoreFactory } from '@baton-engine/store-postgres';
import { ClusterNode } from '../cluster-node.js';

const [url, schema, node, partitions] = process.argv.slice(2);
if (!url || !schema || !node) throw new Error('usage: cluster-node-process URL SCHEMA NODE [PARTITIONS]');

function print(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

const factory = await createPostgresStoreFactory({ connectionString: url, schema });
const cluster: ClusterNode = await ClusterNode.open({
  factory,
  node,
  partitions: partitions ? Number(partitions) : undefined,
  log: (fields, message) => {
    // The audit of the test reads each partition's whole log afterwards: nothing may be compacted.
    if (message === 'became leader of partition')
      partitionsOf(cluster.engine)
        .find((p) => p.partitionId === fields.partition)
        ?.holdLog('test-audit', 0);
    print(message, { ...fields, err: fields.err === undefined ? undefined : String(fields.err) });
  },
});
const engine = cluster.engine;
// Clients (the Camunda SDK) reach the node through its Zeebe gRPC gateway.
const grpc = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
// The event-bus connectors, as `baton start --cluster … --connectors file` runs them (BATON_TEST_CONNECTORS).
const connectorsFile = process.env.BATON_TEST_CONNECTORS;
const connectors = connectorsFile
  ? await startConnectors(engine, loadConnectorsConfig(connectorsFile), {
      node,
      log: {
        info: (fields, message) => print(message, fields),
        warn: (fields, message) => print(message, fields),
        error: (fields, message) => print(message, fields),
      },
    })
  : undefined;
await cluster.join(`127.0.0.1:${grpc.port}`, { host: '127.0.0.1', port: 0 });

type Request = { id: number; op: string; [name: string]: unknown };

const operations: Record<string, (request: Request) => Promise<unknown> | unknown> = {
  stats: () => ({ ...cluster.stats(), hosted: engine.hostedPartitions, grpcPort: grpc.port }),
  deploy: async ({ xml }) => (await engine.deploy({ name: 'process.bpmn', xml: xml as string })).processes,
  create: async ({ bpmnProcessId, count, orderPrefix }) => {
    const keys: string[] = [];
    for (let i = 0; i < (count as number); i++) {
      const variables = orderPrefix === undefined ? { i } : { i, orderId: `${orderPrefix as string}-${i}` };
      keys.push((await engine.createInstance(bpmnProcessId as string, variables)).processInstanceKey);
    }
    return keys;
  },
  publish: async ({ name, correlationKey }) =>
    (await engine.publishMessage(name as string, correlationKey as string)).key,
  signal: async ({ name }) => (await engine.broadcastSignal(name as string)).key,
  work: ({ type }) => {
    engine.createWorker({ type: type as string, handler: () => ({ done: true }), pollTimeout: 500 });
    return true;
  },
  // Instances running on the partitions led here, and which those are (a count over fewer partitions than
  // expected says nothing: a partition may be between two leaders).
  running: ({ processDefinitionKey }) => ({
    running: partitionsOf(engine).reduce(
      (n, p) => n + p.engineState.runningInstancesOf(processDefinitionKey as string),
      0,
    ),
    hosted: engine.hostedPartitions,
  }),
  // The connectors' counters (messages committed, published …), when the node runs them.
  connectors: () => connectors?.metrics.snapshot() ?? {},
  stop: async () => {
    await grpc.stop();
    await connectors?.stop();
    await cluster.stop();
    await factory.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', (request: Request) => {
  void (async () => {
    try {
      const operation = operations[request.op];
      if (!operation) throw new Error(`unknown operation ${request.op}`);
      process.send!({ id: request.id, result: await operation(request) });
    } catch (error) {
      process.send!({ id: request.id, error: String((error as Error)?.message ?? error) });
    }
  })();
});
// The test is gone (finished, or killed): so is this node.
process.on('disconnect', () => process.exit(1));
const lastEpoch = new Map<number, number>();
engine.onRecords((records: readonly LoggedRecord[]) => {
  // Who committed which positions, under which epoch: the fencing tests check that no two nodes ever did.
  const partition = records[0]?.partitionId;
  if (partition !== undefined) {
    // A batch whose listeners run just after the lease was found lost was written under the epoch before.
    const epoch =
      cluster.stats().leading.find((l) => l.partitionId === partition)?.epoch ??
      lastEpoch.get(partition) ??
      null;
    if (epoch !== null) lastEpoch.set(partition, epoch);
    const positions = records.map((r) => r.position);
    print('committed', { partition, first: Math.min(...positions), last: Math.max(...positions), epoch });
  }
  const jobs = records.filter(
    (r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED',
  ).length;
  if (jobs > 0) print('jobs completed', { count: jobs });
  // With the connectors: which jobs the node took (the test of the connectors checks who publishes what).
  if (connectors)
    for (const r of records)
      if (r.recordType === 'EVENT' && r.valueType === 'JOB_BATCH' && r.value.jobs.length > 0)
        print('jobs activated', {
          partition: r.partitionId,
          type: r.value.type,
          keys: r.value.jobs.map((j) => j.key),
        });
});
print('started', { node });
