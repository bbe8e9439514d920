import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { loadGatewayService } from '../zeebe-proto.js';
import { startGrpcGateway } from '../grpc/server.js';
import type { RunningGrpcGateway } from '../grpc/server.js';
import { fuzzParameters } from './fuzz-config.js';

// gRPC fuzzing (issue 14): random field values for CreateProcessInstance, PublishMessage, CompleteJob and
// DeployResource, and random bytes as the message itself, get an answer or a status with a message —
// never INTERNAL or UNKNOWN — and the gateway serves afterwards.

const service = loadGatewayService();

interface Outcome {
  code: grpc.status;
  details: string;
}

/** Sends already serialized bytes, so that malformed messages reach the server too. */
function callRaw(client: grpc.Client, method: string, bytes: Buffer): Promise<Outcome> {
  const definition = service[method]!;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      definition.path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new grpc.Metadata(),
      { deadline: Date.now() + 15_000 },
      (error: grpc.ServiceError | null) =>
        resolve(error ? { code: error.code, details: error.details } : { code: grpc.status.OK, details: '' }),
    );
  });
}

const encode = (method: string, request: object) => service[method]!.requestSerialize(request);

const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom('0', '-1', '1', '2251799813685249', '9223372036854775807', '-9223372036854775808'),
);

/** A variables field: JSON documents of every shape, broken JSON, reserved names, huge and deep. */
const variables = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
    .map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '{}',
    'null',
    '[]',
    '"x"',
    '{"__proto__": {"a": 1}}',
    '{"x": 1e309}',
    '{"x": NaN}',
    '{"a":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}',
    '{' + Array.from({ length: 11_000 }, (_, i) => `"v${i}":1`).join(',') + '}',
  ),
);

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', 'chore', 'order', ' ', '__proto__'),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const requests: Record<string, fc.Arbitrary<object>> = {
  CreateProcessInstance: fc.record(
    {
      processDefinitionKey: int64,
      bpmnProcessId: text,
      version: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.integer()),
      variables,
      startInstructions: fc.array(fc.record({ elementId: text }), { maxLength: 3 }),
      tenantId: fc.constantFrom('', '<default>', 'other', 'x'.repeat(300)),
      operationReference: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    },
    { requiredKeys: [] },
  ),
  PublishMessage: fc.record(
    {
      name: text,
      correlationKey: text,
      timeToLive: int64,
      messageId: text,
      variables,
      tenantId: fc.constantFrom('', '<default>', 'other'),
    },
    { requiredKeys: [] },
  ),
  CompleteJob: fc.record({ jobKey: int64, variables }, { requiredKeys: [] }),
  DeployResource: fc.record(
    {
      resources: fc.array(
        fc.record({
          name: fc.oneof(fc.constantFrom('a.bpmn', 'b.dmn', 'c.form', 'd.txt', '', '../../etc/passwd'), text),
          content: fc.oneof(
            fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
            fc
              .constantFrom(
                '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>',
                '{"id": "f", "components": []}',
                '<x/>',
              )
              .map((s) => Buffer.from(s)),
          ),
        }),
        { maxLength: 3 },
      ),
      tenantId: fc.constantFrom('', '<default>', 'other'),
    },
    { requiredKeys: [] },
  ),
};

function checkOutcome(method: string, outcome: Outcome, what: string): void {
  assert.notEqual(outcome.code, grpc.status.INTERNAL, `${method} ${what}: INTERNAL ${outcome.details}`);
  assert.notEqual(outcome.code, grpc.status.UNKNOWN, `${method} ${what}: UNKNOWN ${outcome.details}`);
  assert.notEqual(outcome.code, grpc.status.DEADLINE_EXCEEDED, `${method} ${what}: hung`);
  if (outcome.code !== grpc.status.OK) assert.ok(outcome.details.length > 0, `${method} ${what}: no message`);
}

describe('fuzzing: gRPC gateway', { timeout: 180_000 }, () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let client: grpc.Client;
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    client = new grpc.Client(`127.0.0.1:${gateway.port}`, grpc.credentials.createInsecure());
    await engine.deploy(
      createProcess('chore').startEvent().serviceTask('t', { type: 'chore' }).endEvent().done(),
    );
    for (let i = 0; i < 5; i++) await engine.createInstance('chore', { i });
  });
  after(async () => {
    client.close();
    await gateway.stop();
    await engine.close();
  });

  async function stillServes(): Promise<void> {
    const outcome = await callRaw(client, 'Topology', encode('Topology', {}));
    assert.equal(outcome.code, grpc.status.OK, outcome.details);
    assert.equal(engine.health().healthy, true);
  }

  for (const [method, request] of Object.entries(requests)) {
    it(`${method}: any field values get an answer or a status with a message, never INTERNAL/UNKNOWN`, async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          checkOutcome(
            method,
            await callRaw(client, method, encode(method, r)),
            JSON.stringify(r).slice(0, 300),
          );
        }),
        fuzzParameters(method === 'DeployResource' ? 100 : 200),
      );
      await stillServes();
    });
  }

  it('random bytes as the message get a status with a message, never INTERNAL/UNKNOWN', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(requests)),
        fc.uint8Array({ maxLength: 200 }),
        async (method, bytes) => {
          checkOutcome(
            method,
            await callRaw(client, method, Buffer.from(bytes)),
            Buffer.from(bytes).toString('hex'),
          );
        },
      ),
      fuzzParameters(200),
    );
    await stillServes();
  });
});
