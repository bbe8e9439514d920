import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { loadGatewayService } from '../zeebe-proto.js';
import { startGrpcGateway } from './server.js';
import type { RunningGrpcGateway } from './server.js';

// Found by the gRPC fuzzing: a refusal quoting a lone surrogate or a huge value from the request was never
// sent (the call hung; the first also left an unhandled rejection, the second the connection stuck), and a
// request that is not valid protobuf was answered INTERNAL.

const service = loadGatewayService();

function call(
  client: grpc.Client,
  method: string,
  bytes: Buffer,
): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      service[method]!.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new grpc.Metadata(),
      { deadline: Date.now() + 5_000 },
      (error: grpc.ServiceError | null) =>
        resolve(error ? { code: error.code, details: error.details } : { code: grpc.status.OK, details: '' }),
    );
  });
}
const create = (bpmnProcessId: string) =>
  service.CreateProcessInstance!.requestSerialize({ bpmnProcessId, version: -1, variables: '{}' });

describe('gRPC gateway: status details and malformed requests', () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let client: grpc.Client;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    client = new grpc.Client(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await gateway.stop();
    await engine.close();
  });

  it('answers a refusal quoting a lone surrogate, with U+FFFD in its place', async () => {
    // Escaped in the JSON of the variables, the surrogate reaches the engine, which names the path.
    const request = service.PublishMessage!.requestSerialize({
      name: 'm',
      correlationKey: 'k',
      variables: '{"order\\ud800": {"__proto__": {}}}',
    });
    const answer = await call(client, 'PublishMessage', request);
    assert.equal(answer.code, grpc.status.INVALID_ARGUMENT, answer.details);
    assert.match(answer.details, /'variables\.order\uFFFD'/);
  });

  it('answers a refusal quoting a huge value, cut, and the connection goes on', async () => {
    const answer = await call(client, 'CreateProcessInstance', create('x'.repeat(200_000)));
    assert.equal(answer.code, grpc.status.NOT_FOUND, answer.details.slice(0, 200));
    assert.match(answer.details, /more characters cut\)$/);
    assert.ok(answer.details.length < 2_100);
    const topology = await call(client, 'Topology', service.Topology!.requestSerialize({}));
    assert.equal(topology.code, grpc.status.OK, topology.details);
  });

  it('answers a request that is not valid protobuf with INVALID_ARGUMENT, not INTERNAL', async () => {
    const answer = await call(client, 'CompleteJob', Buffer.from('66b32c9c81e239522d', 'hex'));
    assert.equal(answer.code, grpc.status.INVALID_ARGUMENT, answer.details);
    assert.match(answer.details, /Expected a valid protobuf message for CompleteJob/);
  });

  it('ends a job stream whose request is not valid protobuf with INVALID_ARGUMENT', async () => {
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      const stream = client.makeServerStreamRequest(
        service.ActivateJobs!.path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from('66b32c9c81e239522d', 'hex'),
        new grpc.Metadata(),
        { deadline: Date.now() + 5_000 },
      );
      stream.on('data', () => undefined);
      stream.on('error', () => undefined);
      stream.on('status', resolve);
    });
    assert.equal(status.code, grpc.status.INVALID_ARGUMENT, status.details);
    assert.match(status.details, /ActivateJobs/);
  });
});
