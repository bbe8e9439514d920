import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { createAuthenticator, NO_AUTHENTICATION } from '../auth/authenticator.js';
import { loadGatewayService } from '../zeebe-proto.js';
import { startGrpcGateway } from './server.js';
import type { RunningGrpcGateway } from './server.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- a generic client built from the proto at runtime */
type GatewayClient = grpc.Client & Record<string, any>;

const Client = grpc.makeGenericClientConstructor(loadGatewayService(), 'Gateway');
const clientFor = (port: number) =>
  new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as GatewayClient;

/** Calls a unary RPC; resolves with the answer or rejects with the gRPC error. */
function unary(
  client: GatewayClient,
  method: string,
  request: object,
  metadata = new grpc.Metadata(),
): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, (error: grpc.ServiceError | null, answer: unknown) =>
      error ? reject(error) : resolve(answer),
    ),
  );
}

/** All jobs an ActivateJobs call streams back. */
function activate(client: GatewayClient, request: object): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const jobs: any[] = [];
    const call = client.ActivateJobs(request);
    call.on('data', (response: { jobs: any[] }) => jobs.push(...response.jobs));
    call.on('end', () => resolve(jobs));
    call.on('error', reject);
  });
}

const oneTask = (id: string, type: string) =>
  createProcess(id).startEvent().serviceTask('work', { type }).endEvent().toXml();

describe('gRPC gateway (in-process, raw grpc-js client)', () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let client: GatewayClient;

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    client = clientFor(gateway.port);
    await unary(client, 'DeployResource', {
      resources: [
        { name: 'push.bpmn', content: Buffer.from(await oneTask('push', 'push-work')) },
        { name: 'late.bpmn', content: Buffer.from(await oneTask('late', 'late-work')) },
      ],
    });
  });
  after(async () => {
    client.close();
    await gateway.stop();
    await engine.close();
  });

  it('loses no job when a StreamActivatedJobs client disconnects mid-push, and stops activating for it', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        await unary(client, 'CreateProcessInstance', { bpmnProcessId: 'push', version: -1, variables: '{}' }),
      );
    }
    const stream = client.StreamActivatedJobs({
      type: 'push-work',
      worker: 'pushy',
      timeout: 600,
      fetchVariable: [],
    });
    stream.on('error', () => undefined); // the cancellation below surfaces as CANCELLED
    const first = await new Promise<any>((resolve) => stream.once('data', resolve));
    await unary(client, 'CompleteJob', { jobKey: first.key, variables: '{}' });
    stream.cancel();

    // Created after the client left: nobody may hold it, so it is activatable at once.
    await new Promise((r) => setTimeout(r, 100));
    const after = await unary(client, 'CreateProcessInstance', {
      bpmnProcessId: 'push',
      version: -1,
      variables: '{}',
    });
    const immediate = await activate(client, {
      type: 'push-work',
      worker: 'rescuer',
      timeout: 10_000,
      maxJobsToActivate: 10,
      requestTimeout: -1,
    });
    const immediateInstances = immediate.map((j) => j.processInstanceKey);
    assert.ok(immediateInstances.includes(after.processInstanceKey), 'the stream stopped activating');

    // The four pushed but unfinished jobs come back once their 600 ms timeout has passed.
    const rescued = new Set(immediateInstances);
    const deadline = Date.now() + 5_000;
    while (rescued.size < 5 && Date.now() < deadline) {
      const jobs = await activate(client, {
        type: 'push-work',
        worker: 'rescuer',
        timeout: 10_000,
        maxJobsToActivate: 10,
        requestTimeout: 1_000,
      });
      for (const job of jobs) rescued.add(job.processInstanceKey);
    }
    const expected = created.filter((c) => c.processInstanceKey !== first.processInstanceKey);
    for (const c of [...expected, after])
      assert.ok(rescued.has(c.processInstanceKey), `job of ${c.processInstanceKey}`);
    assert.equal(rescued.size, 5);
  });

  it('pushes jobs created while the stream is open', async () => {
    const stream = client.StreamActivatedJobs({
      type: 'late-work',
      worker: 'w',
      timeout: 10_000,
      fetchVariable: [],
    });
    stream.on('error', () => undefined);
    const pushed = new Promise<any>((resolve) => stream.once('data', resolve));
    await new Promise((r) => setTimeout(r, 100));
    const instance = await unary(client, 'CreateProcessInstance', {
      bpmnProcessId: 'late',
      version: -1,
      variables: '{"x":1}',
    });
    const job = await pushed;
    assert.equal(job.processInstanceKey, instance.processInstanceKey);
    assert.deepEqual(JSON.parse(job.variables), { x: 1 });
    stream.cancel();
  });

  it(
    'refuses a StreamActivatedJobs for a tenant other than <default> (no multi-tenancy), as Zeebe does',
    { timeout: 5_000 },
    async () => {
      const stream = client.StreamActivatedJobs({
        type: 'push-work',
        worker: 'red',
        timeout: 600,
        tenantIds: ['<default>', 'red'],
      });
      const error = await new Promise<grpc.ServiceError>((resolve) => stream.on('error', resolve));
      assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
      assert.match(
        error.details,
        /Expected to handle gRPC request StreamActivatedJobs with tenant identifier 'red', but multi-tenancy is disabled/,
      );
    },
  );

  it('refuses variables that are not a JSON object, naming the field', async () => {
    for (const variables of ['{"a":', '[1,2]', '42']) {
      await assert.rejects(
        unary(client, 'CreateProcessInstance', { bpmnProcessId: 'push', version: -1, variables }),
        (error: grpc.ServiceError) =>
          error.code === grpc.status.INVALID_ARGUMENT && /'variables'/.test(error.details),
      );
    }
  });

  it('answers SetVariables with the key of the variable document', async () => {
    const created = await unary(client, 'CreateProcessInstance', { bpmnProcessId: 'late', variables: '{}' });
    const answer = await unary(client, 'SetVariables', {
      elementInstanceKey: created.processInstanceKey,
      variables: '{"checked":true}',
      local: false,
    });
    assert.match(String(answer.key), /^[1-9][0-9]+$/);
    await unary(client, 'CancelProcessInstance', { processInstanceKey: created.processInstanceKey });
  });

  it('answers unknown keys with NOT_FOUND', async () => {
    await assert.rejects(unary(client, 'CompleteJob', { jobKey: '2251799813685999', variables: '{}' }), {
      code: grpc.status.NOT_FOUND,
    });
    await assert.rejects(unary(client, 'ResolveIncident', { incidentKey: '2251799813685999' }), {
      code: grpc.status.NOT_FOUND,
    });
  });

  it('answers an unknown RPC with UNIMPLEMENTED and a request that is not protobuf with an error, then goes on', async () => {
    const raw = (path: string, bytes: Buffer) =>
      new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest(
          path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          bytes,
          (error: grpc.ServiceError | null, answer?: Buffer) => (error ? reject(error) : resolve(answer!)),
        ),
      );
    await assert.rejects(raw('/gateway_protocol.Gateway/NoSuchRpc', Buffer.alloc(0)), {
      code: grpc.status.UNIMPLEMENTED,
    });
    // Field 1 (jobKey) announced as a 2 GiB length-delimited string with 3 bytes behind it.
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x01, 0x02, 0x03]);
    const refused = await raw('/gateway_protocol.Gateway/CompleteJob', garbage).then(
      () => undefined,
      (error: grpc.ServiceError) => error,
    );
    assert.ok(refused, 'garbage is refused');
    assert.notEqual(refused.code, grpc.status.OK);
    const topology = await unary(client, 'Topology', {});
    assert.equal(topology.partitionsCount, 1, 'still serving');
  });

  it('survives garbage bytes on its port', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(gateway.port, '127.0.0.1', () => {
        socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n\x00\xff\x13garbage'));
        socket.write(Buffer.alloc(4096, 0xa5));
      });
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      setTimeout(() => socket.destroy(), 300);
    });
    const topology = await unary(client, 'Topology', {});
    assert.equal(topology.partitionsCount, 1);
  });
});

describe('gRPC gateway limits and authentication', () => {
  it('refuses a message above the size limit with RESOURCE_EXHAUSTED', async () => {
    const engine = await createEngine({ store: 'memory' });
    const gateway = await startGrpcGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      maxMessageBytes: 1024,
    });
    const client = clientFor(gateway.port);
    try {
      await assert.rejects(
        unary(client, 'DeployResource', {
          resources: [{ name: 'big.bpmn', content: Buffer.alloc(4096, 32) }],
        }),
        (error: grpc.ServiceError) =>
          error.code === grpc.status.RESOURCE_EXHAUSTED && /larger than max/.test(error.details),
      );
    } finally {
      client.close();
      await gateway.stop();
      await engine.close();
    }
  });

  it('answers RESOURCE_EXHAUSTED when a partition queue is full (back-pressure), and serves again after', async () => {
    const engine = await createEngine({ store: 'memory', maxQueuedCommands: 4 });
    const gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    const client = clientFor(gateway.port);
    try {
      await unary(client, 'DeployResource', {
        resources: [{ name: 'bp.bpmn', content: Buffer.from(await oneTask('bp', 'bp')) }],
      });
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, () =>
          unary(client, 'CreateProcessInstance', { bpmnProcessId: 'bp', variables: '{}' }).then(
            () => 'created',
            (error: grpc.ServiceError) => error.code,
          ),
        ),
      );
      assert.ok(outcomes.includes(grpc.status.RESOURCE_EXHAUSTED), 'some were pushed back');
      assert.ok(outcomes.includes('created'), 'the others were served');
      assert.deepEqual(
        [...new Set(outcomes)].sort(),
        ['created', grpc.status.RESOURCE_EXHAUSTED].sort(),
        'nothing else went wrong',
      );
      const retried = await unary(client, 'CreateProcessInstance', { bpmnProcessId: 'bp', variables: '{}' });
      assert.ok(retried.processInstanceKey, 'a retry once the queue drained is served');
    } finally {
      client.close();
      await gateway.stop();
      await engine.close();
    }
  });

  it('answers UNAUTHENTICATED without a valid bearer token, and writes nothing', async () => {
    const engine = await createEngine({ store: 'memory' });
    const auth = createAuthenticator({ apiKeys: ['secret-1'] });
    const gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth });
    const client = clientFor(gateway.port);
    const records: unknown[] = [];
    engine.onRecords((r) => records.push(...r));
    const bearer = (token: string) => {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      return metadata;
    };
    const deploy = { resources: [{ name: 'a.bpmn', content: Buffer.from(await oneTask('a', 'a')) }] };
    try {
      await assert.rejects(unary(client, 'DeployResource', deploy), { code: grpc.status.UNAUTHENTICATED });
      await assert.rejects(unary(client, 'DeployResource', deploy, bearer('wrong')), {
        code: grpc.status.UNAUTHENTICATED,
      });
      await assert.rejects(
        activate(client, { type: 'a', worker: 'w', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 }),
        { code: grpc.status.UNAUTHENTICATED },
      );
      assert.equal(records.length, 0);
      const answer = await unary(client, 'DeployResource', deploy, bearer('secret-1'));
      assert.equal(answer.deployments[0].process.bpmnProcessId, 'a');
    } finally {
      client.close();
      await gateway.stop();
      await engine.close();
    }
  });

  it('listens on an IPv6 address given as --host ::1 (bracketed in the bind target)', async () => {
    const engine = await createEngine({ store: 'memory' });
    const gateway = await startGrpcGateway(engine, { host: '::1', port: 0, auth: NO_AUTHENTICATION });
    const client = new Client(
      `[::1]:${gateway.port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as GatewayClient;
    try {
      const topology = await unary(client, 'Topology', {});
      assert.equal(topology.brokers[0].partitions.length, 1);
    } finally {
      client.close();
      await gateway.stop();
      await engine.close();
    }
  });
});
