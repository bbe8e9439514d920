import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBaton } from './test-server.js';
import { sdkClient } from './test-clients.js';
import { oneTask } from './test-models.js';

// The engine's limits set from the command line: back-pressure and the variables one instance may hold.

describe('baton start: limit options', { timeout: 90_000 }, () => {
  it('refuses a back-pressure mode it does not know, and a latency target with back-pressure off (exit 2)', async () => {
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--back-pressure', 'sometimes']),
      /exited with 2[\s\S]*--back-pressure is aimd, fixed or off, not 'sometimes'/,
    );
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--back-pressure', 'off', '--back-pressure-target-ms', '50']),
      /exited with 2[\s\S]*no effect with --back-pressure off/,
    );
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--max-instance-variable-bytes', 'lots']),
      /exited with 2[\s\S]*--max-instance-variable-bytes/,
    );
  });

  it('applies --max-instance-variable-bytes to what clients send, with back-pressure set from flags', async () => {
    const server = await startBaton([
      '--insecure-no-auth',
      '--back-pressure',
      'fixed',
      '--back-pressure-target-ms',
      '100',
      '--max-instance-variable-bytes',
      '2000',
    ]);
    const zeebe = sdkClient(server.port);
    try {
      assert.match(server.output(), /"algorithm":"fixed".*"targetLatencyMs":100|targetLatencyMs.*100/);
      await zeebe.deployResource({
        process: Buffer.from(await oneTask('limited', 'work')),
        name: 'limited.bpmn',
      });
      await zeebe.createProcessInstance({
        bpmnProcessId: 'limited',
        variables: { small: 'x'.repeat(1_000) },
      });
      await assert.rejects(
        zeebe.createProcessInstance({ bpmnProcessId: 'limited', variables: { big: 'x'.repeat(3_000) } }),
        /maxInstanceVariableBytes/,
      );
    } finally {
      await zeebe.close();
      assert.equal(await server.stop(), 0);
    }
  });
});
