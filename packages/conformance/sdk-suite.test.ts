// The expectations of @camunda8/sdk's own integration tests (run by Camunda against Zeebe), checked on Baton
// over the corpus models those tests use. A test whose model is not fetched is skipped (see SOURCES.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CORPUS, readCorpusFile, unavailable } from './corpus-files.js';
import { scenarioHarness } from './scenario-harness.js';

const TESTDATA = 'camunda-8-js-sdk/src/__tests__/testdata/';
const entryOf = (name: string) => {
  const entry = CORPUS.find((e) => e.file === `${TESTDATA}${name}`);
  if (!entry) throw new Error(`${name} is not in sources.json`);
  return entry;
};

describe("@camunda8/sdk's integration tests, on Baton", { timeout: 120_000 }, () => {
  const harness = scenarioHarness();
  const { work } = harness;
  const deploy = (name: string) => harness.deploy(readCorpusFile(entryOf(name)), name);
  /** A test over the named models, skipped with the reason when one of them is not fetched. */
  const over = (models: string[], title: string, body: () => Promise<void>) =>
    it(title, { skip: models.map((m) => unavailable(entryOf(m))).find(Boolean), timeout: 20_000 }, body);

  over(
    ['Client-ThrowError.bpmn'],
    'Client-ThrowError: a business error from a worker is caught',
    async () => {
      await deploy('Client-ThrowError.bpmn');
      work('throw-bpmn-error-task', (job) => job.error('BUSINESS_ERROR', 'Well, that did not work'));
      work('sad-flow', (job) => job.complete({ bpmnErrorCaught: true }));
      const result = await harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'throw-bpmn-error',
        variables: {},
        requestTimeout: 10_000,
      });
      assert.equal(result.variables.bpmnErrorCaught, true);
    },
  );

  over(
    ['Client-ThrowError-2.bpmn'],
    'Client-ThrowError-2: the variables of a thrown error reach the process',
    async () => {
      await deploy('Client-ThrowError-2.bpmn');
      work('throw-bpmn-error-task-2', (job) =>
        job.error({ errorCode: 'BUSINESS_ERROR', errorMessage: 'no', variables: { something: 'someValue' } }),
      );
      work('sad-flow-2', (job) => job.complete({ bpmnErrorCaught: true }));
      const result = await harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'throw-bpmn-error-2',
        variables: {},
        requestTimeout: 10_000,
      });
      assert.equal(result.variables.bpmnErrorCaught, true);
      assert.equal(result.variables.something, 'someValue');
    },
  );

  over(['Signal.bpmn'], 'Client-BroadcastSignal: a signal starts a process with its variables', async () => {
    await deploy('Signal.bpmn');
    const seen = new Promise<unknown>((resolve) =>
      work('signal-service-task', (job) => {
        resolve((job.variables as { success?: boolean }).success);
        return job.complete();
      }),
    );
    const broadcast = await harness.zeebe.broadcastSignal({
      signalName: 'test-signal',
      variables: { success: true },
    });
    assert.ok(broadcast.key);
    assert.equal(await seen, true);
  });

  over(
    ['await-outcome.bpmn'],
    'Client-CreateProcessInstanceWithResult: the outcome, and only the fetched variables',
    async () => {
      await deploy('await-outcome.bpmn');
      const all = await harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'await-outcome',
        variables: { sourceValue: 5 },
      });
      assert.equal(all.variables.sourceValue, 5);
      const some = await harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'await-outcome',
        fetchVariables: ['otherValue'],
        variables: { otherValue: 'rome', sourceValue: 5 },
      });
      assert.deepEqual({ ...some.variables }, { otherValue: 'rome' });
    },
  );

  over(['Client-MessageStart.bpmn'], 'Client-MessageStart: a start message starts a process', async () => {
    await deploy('Client-MessageStart.bpmn');
    await harness.zeebe.publishStartMessage({
      name: 'MSG-START_JOB',
      timeToLive: 2_000,
      variables: { testKey: 'k-1' },
    });
    const seen = await new Promise<unknown>((resolve) =>
      work('console-log-msg-start', (job) => {
        resolve((job.variables as { testKey?: string }).testKey);
        return job.complete();
      }),
    );
    assert.equal(seen, 'k-1');
  });

  over(
    ['message-correlation-test.bpmn'],
    'Client-PublishMessage: a message correlates with a waiting instance',
    async () => {
      await deploy('message-correlation-test.bpmn');
      const subscribed = new Promise<void>((resolve) => {
        const off = harness.server.engine.onRecords((records) => {
          if (!records.some((r) => r.valueType === 'MESSAGE_SUBSCRIPTION' && r.intent === 'CREATED')) return;
          off();
          resolve();
        });
      });
      const result = harness.zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'message-correlation-test',
        variables: { orderId: 'order-9' },
        requestTimeout: 10_000,
      });
      await subscribed;
      const published = await harness.zeebe.publishMessage({
        name: 'MESSAGE_CORRELATION_TEST_CATCH',
        correlationKey: 'order-9',
        timeToLive: 20_000,
      });
      assert.ok(published.key);
      assert.equal((await result).variables.orderId, 'order-9');
    },
  );
});
