import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { errorBoundary, messageCatch, oneTask, signalCatch, threeTasks } from './test-models.js';
import { connect as connectTcp } from 'node:net';
import { callGateway } from './grpc-client.js';
import { startBaton } from './test-server.js';
import { sdkClient, waitUntil } from './test-clients.js';
import type { Zeebe } from './test-clients.js';
import type { TestServer } from './test-server.js';

describe('Camunda 8 clients against baton start', { timeout: 120_000 }, () => {
  let server: TestServer;
  let zeebe: Zeebe;
  before(async () => {
    server = await startBaton(['--insecure-no-auth']);
    zeebe = sdkClient(server.port);
  });
  after(async () => {
    assert.equal(await server.stop(), 0, 'graceful shutdown on SIGTERM exits 0');
    await zeebe.close();
  });

  it('deploys, runs workers with fetchVariable, and awaits the result', async () => {
    const deployment = await zeebe.deployResource({
      process: Buffer.from(await threeTasks('sdk')),
      name: 'sdk.bpmn',
    });
    assert.equal(deployment.deployments[0]!.process?.bpmnProcessId, 'sdk');
    const seen: unknown[] = [];
    for (const type of ['task-a', 'task-b', 'task-c']) {
      zeebe.createWorker({
        taskType: type,
        fetchVariable: ['n'] as never,
        taskHandler: (job) => {
          seen.push(Object.keys(job.variables).sort().join(','));
          return job.complete({ [type]: (job.variables as { n: number }).n + 1 });
        },
      });
    }
    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'sdk',
      variables: { n: 1, other: 'x' },
    });
    assert.deepEqual(result.variables, { n: 1, other: 'x', 'task-a': 2, 'task-b': 2, 'task-c': 2 });
    assert.deepEqual(seen, ['n', 'n', 'n'], 'only the fetched variable reaches the worker');
  });

  it('retries a failed job after its back-off; with no retries left the job is not activatable (an incident)', async () => {
    await zeebe.deployResource({ process: Buffer.from(await oneTask('flaky', 'flaky')), name: 'flaky.bpmn' });
    const instance = await zeebe.createProcessInstance({ bpmnProcessId: 'flaky', variables: {} });
    let attempts = 0;
    const worker = zeebe.createWorker({
      taskType: 'flaky',
      taskHandler: (job) => {
        attempts += 1;
        if (attempts === 1) return job.fail({ errorMessage: 'try again', retries: 1, retryBackOff: 200 });
        if (attempts === 2) return job.fail({ errorMessage: 'down for good', retries: 0 });
        return job.complete({ attempts });
      },
    });
    await waitUntil(() => attempts === 2, 'two failures');
    // Find the incident's key through a fresh failure of the same job: resolve needs retries first.
    await new Promise((r) => setTimeout(r, 200));
    const jobs = await zeebe.activateJobs({
      type: 'flaky',
      worker: 'probe',
      maxJobsToActivate: 1,
      timeout: 1000,
      requestTimeout: 1,
    });
    assert.equal(jobs.length, 0, 'a job without retries is not activatable');
    assert.ok(instance.processInstanceKey);
    await worker.close();
  });

  it('catches a BPMN error from a worker in an error boundary event', async () => {
    await zeebe.deployResource({ process: Buffer.from(errorBoundary), name: 'errors.bpmn' });
    zeebe.createWorker({
      taskType: 'charge',
      taskHandler: (job) =>
        job.error({ errorCode: 'DECLINED', errorMessage: 'no funds', variables: { reason: 'funds' } }),
    });
    const result = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'errors', variables: {} });
    assert.ok(result.processInstanceKey);
  });

  it('correlates a published message and broadcasts a signal', async () => {
    await zeebe.deployResource({
      process: Buffer.from(messageCatch),
      name: 'msg.bpmn',
    });
    await zeebe.deployResource({
      process: Buffer.from(signalCatch),
      name: 'sig.bpmn',
    });
    const waiting = zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-1' },
      requestTimeout: 10_000,
    });
    const signalled = zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'sig',
      variables: {},
      requestTimeout: 10_000,
    });
    await new Promise((r) => setTimeout(r, 300));
    await zeebe.publishMessage({
      name: 'paid',
      correlationKey: 'o-1',
      variables: { amount: 5 },
      timeToLive: 0,
    });
    await zeebe.broadcastSignal({ signalName: 'go', variables: {} });
    assert.equal((await waiting).variables.amount, 5);
    assert.ok((await signalled).processInstanceKey);
  });

  it('cancels an instance; unknown keys are NOT_FOUND and bad variables INVALID_ARGUMENT', async () => {
    await zeebe.deployResource({
      process: Buffer.from(await oneTask('slow', 'nobody-works-on-this')),
      name: 'slow.bpmn',
    });
    const instance = await zeebe.createProcessInstance({ bpmnProcessId: 'slow', variables: {} });
    await zeebe.cancelProcessInstance(instance.processInstanceKey);
    await assert.rejects(zeebe.cancelProcessInstance(instance.processInstanceKey), /NOT_FOUND|5 /);
    await assert.rejects(zeebe.completeJob({ jobKey: '2251799813685999', variables: {} }), /NOT_FOUND|5 /);
    await assert.rejects(
      zeebe.createProcessInstance({ bpmnProcessId: 'no-such-process', variables: {} }),
      /NOT_FOUND|5 /,
    );
    // The SDK always sends valid JSON; a raw client can send anything.
    const address = `127.0.0.1:${server.port}`;
    for (const variables of ['[1,2]', '{not json']) {
      await assert.rejects(
        callGateway({ address }, 'CreateProcessInstance', { bpmnProcessId: 'slow', version: -1, variables }),
        (e: { code: number; details: string }) => e.code === 3 && /'variables'/.test(e.details),
      );
    }
  });

  it('survives garbage bytes on its port', async () => {
    await new Promise<void>((resolve) => {
      const socket = connectTcp(server.port, '127.0.0.1', () => {
        socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n\u0000 garbage'));
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    assert.equal((await zeebe.topology()).partitionsCount, 1);
  });

  it('zbctl (the Go CLI) talks to it too', async () => {
    const require = createRequire(import.meta.url);
    const zbctl = join(require.resolve('zbctl/package.json'), '..', 'bin', 'zbctl-cli.linux');
    const run = (args: string[]) =>
      promisify(execFile)(zbctl, ['--insecure', '--address', `127.0.0.1:${server.port}`, ...args]);
    const status = await run(['status']);
    assert.match(status.stdout, /Partition 1 : Leader, Healthy/);
    const dir = mkdtempSync(join(tmpdir(), 'baton-zbctl-'));
    const file = join(dir, 'zb.bpmn');
    writeFileSync(file, await oneTask('zb', 'zb-work'));
    const deployed = await run(['deploy', file]);
    assert.match(deployed.stdout, /"bpmnProcessId":\s+"zb"/);
    const created = await run(['create', 'instance', 'zb', '--variables', '{"a":1}']);
    assert.match(created.stdout, /"processInstanceKey"/);
  });
});

describe('authentication', { timeout: 60_000 }, () => {
  it('refuses requests without a valid bearer token, and accepts the configured one', async () => {
    const server = await startBaton(['--api-key', 'secret-1']);
    const anonymous = sdkClient(server.port);
    const authorized = sdkClient(server.port, { kind: 'bearer', token: 'secret-1' });
    try {
      await assert.rejects(anonymous.topology(), /UNAUTHENTICATED|16 /);
      const topology = await authorized.topology();
      assert.equal(topology.partitionsCount, 1);
    } finally {
      await server.stop();
      await anonymous.close();
      await authorized.close();
    }
  });

  it('lets the SDK get its token by OAuth client credentials from POST /oauth/token', async () => {
    const server = await startBaton(['--oauth-client', 'orders-app:s3cret']);
    const oauth = (clientSecret: string) =>
      sdkClient(server.port, {
        kind: 'oauth',
        url: `${server.url}/oauth/token`,
        clientId: 'orders-app',
        clientSecret,
      });
    const good = oauth('s3cret');
    const bad = oauth('wrong');
    try {
      const topology = await good.topology();
      assert.equal(topology.partitionsCount, 1);
      await good.deployResource({
        process: Buffer.from(await oneTask('oauth', 'oauth')),
        name: 'oauth.bpmn',
      });
      await assert.rejects(bad.topology());
    } finally {
      await server.stop();
      await good.close();
      await bad.close();
    }
  });

  it('will not run without authentication except explicitly on loopback', async () => {
    await assert.rejects(startBaton([]), /no credentials configured/);
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--host', '0.0.0.0']),
      /only allowed on a loopback address/,
    );
  });
});
