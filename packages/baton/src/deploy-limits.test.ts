import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError } from './errors.js';
import { createEngine } from './engine.js';
import { memoryEngine, waitFor } from './test-support/fixture.js';
import { oneTask } from './test-support/models.js';
import { parallelFork, taskChain } from './test-support/large-models.js';

// Large models (issue 14, item 2). Before: a 5,000-task chain blocked the engine ~30 s and a 20,000-branch
// fork ran for minutes on the partitions' thread, because validation scanned every element per element.
// The bounds are wall-clock and generous: a loaded 2-core machine takes a few seconds where an idle one
// takes one.

const refusal = (error: unknown) => {
  assert.ok(error instanceof BatonError, String(error));
  return error;
};

describe('deploying large models (issue 14)', { timeout: 180_000 }, () => {
  it('deploys a chain of 5,000 service tasks in seconds, and runs it', async () => {
    const { engine } = await memoryEngine();
    try {
      const xml = taskChain(5_000); // 1.4 MB, 10,003 flow elements
      const started = performance.now();
      const deployment = await engine.deploy({ name: 'chain.bpmn', xml });
      const took = performance.now() - started;
      assert.equal(deployment.processes[0]!.bpmnProcessId, 'chain');
      assert.ok(took < 15_000, `deploying took ${Math.round(took)} ms`);
      await engine.createInstance('chain');
      const [job] = await engine.activateJobs({
        type: 'work',
        worker: 't',
        timeout: 60_000,
        maxJobsToActivate: 5,
      });
      assert.equal(job?.elementId, 't1');
    } finally {
      await engine.close();
    }
  });

  it('refuses a fork of 20,000 branches at once, naming the resource, its count and the limit', async () => {
    const { engine, records } = await memoryEngine();
    try {
      const started = performance.now();
      const error = refusal(
        await engine.deploy({ name: 'fork.bpmn', xml: parallelFork(20_000) }).catch((e) => e),
      );
      assert.ok(
        performance.now() - started < 5_000,
        `refusing took ${Math.round(performance.now() - started)} ms`,
      );
      assert.equal(error.code, 'INVALID_ARGUMENT');
      assert.match(
        error.message,
        /^Expected resource 'fork\.bpmn' to have at most 20000 flow elements .*, but it has 60006/,
      );
      // Refused at the edge: the 3 MB resource was never written to the log.
      assert.equal(records.filter((r) => r.valueType === 'DEPLOYMENT').length, 0);
    } finally {
      await engine.close();
    }
  });

  it('takes the limit from the engine options', async () => {
    const { engine } = await memoryEngine({ deploymentLimits: { maxFlowElementsPerResource: 4 } });
    try {
      const error = refusal(
        await engine.deploy({ name: 'one.bpmn', xml: oneTask('one', 'w') }).catch((e) => e),
      );
      assert.match(error.message, /'one\.bpmn' to have at most 4 flow elements .*, but it has 5/);
    } finally {
      await engine.close();
    }
    await assert.rejects(
      createEngine({ store: 'memory', deploymentLimits: { maxFlowElementsPerResource: 0 } }),
      /maxFlowElementsPerResource must be a positive integer/,
    );
  });

  it('keeps running instances going while a big model is parsed and compiled', async () => {
    const { engine } = await memoryEngine({ deploymentLimits: { maxFlowElementsPerResource: 100_000 } });
    try {
      await engine.deploy(oneTask('small', 'work'));
      engine.createWorker({ type: 'work', handler: () => ({ done: true }) });
      const completions: number[] = [];
      let deploying = true;
      const traffic = (async () => {
        while (deploying) {
          await engine.createInstanceWithResult('small');
          completions.push(performance.now());
        }
      })();
      await waitFor(() => completions.length >= 3, 'traffic before the deployment', 30_000);
      const started = performance.now();
      const deployment = await engine.deploy({ name: 'fork.bpmn', xml: parallelFork(20_000) });
      const ended = performance.now();
      deploying = false;
      await traffic;
      assert.equal(deployment.processes[0]!.bpmnProcessId, 'fork');
      assert.ok(ended - started < 90_000, `deploying took ${Math.round(ended - started)} ms`);
      const during = completions.filter((t) => t >= started && t <= ended);
      let longestGap = 0;
      for (let i = 1; i < during.length; i++) longestGap = Math.max(longestGap, during[i]! - during[i - 1]!);
      assert.ok(
        during.length >= 5,
        `only ${during.length} instances completed during a ${Math.round(ended - started)} ms deployment`,
      );
      assert.ok(longestGap < 3_000, `no instance completed for ${Math.round(longestGap)} ms`);
    } finally {
      await engine.close();
    }
  });

  it('abandons a deployment still compiling when the engine closes', async () => {
    const { engine } = await memoryEngine({ deploymentLimits: { maxFlowElementsPerResource: 100_000 } });
    const deploying = engine.deploy({ name: 'fork.bpmn', xml: parallelFork(20_000) }).catch((e) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await engine.close();
    assert.ok(
      performance.now() - started < 3_000,
      `closing took ${Math.round(performance.now() - started)} ms`,
    );
    const error = refusal(await deploying);
    assert.equal(error.code, 'UNAVAILABLE');
  });
});
