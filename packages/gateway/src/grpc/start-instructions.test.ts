import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { Camunda8 } from '@camunda8/sdk';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { loadGatewayService } from '../zeebe-proto.js';
import { startGrpcGateway } from './server.js';
import type { RunningGrpcGateway } from './server.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- a generic client built from the proto at runtime */
type GatewayClient = grpc.Client & Record<string, any>;

const twoTasks = () =>
  createProcess('two-tasks')
    .startEvent('start')
    .serviceTask('first', { type: 'first' })
    .serviceTask('second', { type: 'second' })
    .endEvent('end')
    .toXml();

/** The official Camunda 8 client, configured as an application would, pointed at the in-process gateway. */
function sdkClient(port: number) {
  const config = {
    ZEEBE_GRPC_ADDRESS: `grpc://localhost:${port}`,
    CAMUNDA_SECURE_CONNECTION: false,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  };
  return new Camunda8(config as never).getZeebeGrpcApiClient();
}

describe('gRPC CreateProcessInstance with start instructions', { timeout: 30_000 }, () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let zeebe: ReturnType<typeof sdkClient>;

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    zeebe = sdkClient(gateway.port);
    await zeebe.deployResource({ process: Buffer.from(await twoTasks()), name: 'two-tasks.bpmn' });
  });
  after(async () => {
    await zeebe.close();
    await gateway.stop();
    await engine.close();
  });

  // Regression: this was answered UNIMPLEMENTED ("start instructions are not supported yet").
  it('starts at the named element with the official SDK', async () => {
    const instance = await zeebe.createProcessInstance({
      bpmnProcessId: 'two-tasks',
      variables: { order: 'A-1' },
      startInstructions: [{ elementId: 'second' }],
    });
    assert.equal(instance.bpmnProcessId, 'two-tasks');
    const first = await zeebe.activateJobs({
      type: 'first',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    });
    assert.equal(first.length, 0, 'the first task was skipped');
    const [job] = await zeebe.activateJobs({
      type: 'second',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    });
    assert.equal(job?.processInstanceKey, instance.processInstanceKey);
    assert.deepEqual({ ...job?.variables }, { order: 'A-1' });
    await zeebe.completeJob({ jobKey: job!.key, variables: {} });
  });

  it("refuses an unknown element with INVALID_ARGUMENT in Zeebe's words", async () => {
    await assert.rejects(
      zeebe.createProcessInstance({
        bpmnProcessId: 'two-tasks',
        variables: {},
        startInstructions: [{ elementId: 'nope' }],
      }),
      (e: Error & { code?: number }) =>
        e.code === grpc.status.INVALID_ARGUMENT &&
        e.message.includes(
          "Expected to create instance of process with start instructions but no element found with id 'nope'.",
        ),
    );
  });

  it('starts CreateProcessInstanceWithResult at the named element too', async () => {
    // The SDK's createProcessInstanceWithResult drops start instructions, so this one speaks the protocol.
    const Client = grpc.makeGenericClientConstructor(loadGatewayService(), 'Gateway');
    const client = new Client(
      `127.0.0.1:${gateway.port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as GatewayClient;
    const worker = zeebe.createWorker({
      taskType: 'second',
      taskHandler: (job) => job.complete({ done: true }),
    });
    try {
      const answer = await new Promise<any>((resolve, reject) =>
        client.CreateProcessInstanceWithResult(
          {
            request: {
              bpmnProcessId: 'two-tasks',
              version: -1,
              variables: '{"n":1}',
              startInstructions: [{ elementId: 'second' }],
            },
            requestTimeout: 10_000,
          },
          (error: grpc.ServiceError | null, response: unknown) => (error ? reject(error) : resolve(response)),
        ),
      );
      assert.deepEqual(JSON.parse(answer.variables), { n: 1, done: true });
    } finally {
      await worker.close();
      client.close();
    }
  });
});
