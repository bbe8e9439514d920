// What the Zeebe protocol tells a client, over the gateway with @camunda8/sdk: activated jobs' fields, versions of
// redeployed processes, variables set from outside, incidents of uncaught errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chain, definitions, end, processOf, serviceTask, start } from './bpmn-xml.js';
import { scenarioHarness } from './scenario-harness.js';

const oneTask = (id: string, type: string, more: string[] = []) =>
  definitions(
    processOf(id, [start(), serviceTask('task', type, more), end()], chain('start', 'task', 'end')),
  );

describe('Zeebe protocol details over the gateway, with @camunda8/sdk', { timeout: 120_000 }, () => {
  const harness = scenarioHarness();
  const { deploy, nextRecord, run, work } = harness;

  it('an activated job carries what Zeebe fills in: keys, process, element, retries, deadline, headers', async () => {
    await deploy(
      oneTask('conformance-job-fields', 'conformance-fields', [
        '<zeebe:taskHeaders><zeebe:header key="region" value="eu"/></zeebe:taskHeaders>',
      ]),
      'job-fields.bpmn',
    );
    const instance = await harness.zeebe.createProcessInstance({
      bpmnProcessId: 'conformance-job-fields',
      variables: { a: 1, b: 'two' },
    });
    const before = Date.now();
    const [job] = await harness.zeebe.activateJobs({
      type: 'conformance-fields',
      worker: 'conformance-worker',
      maxJobsToActivate: 1,
      timeout: 30_000,
      requestTimeout: 5_000,
      fetchVariable: ['b'],
    });
    assert.ok(job, 'one job');
    assert.equal(job.type, 'conformance-fields');
    assert.equal(job.processInstanceKey, instance.processInstanceKey);
    assert.equal(job.bpmnProcessId, 'conformance-job-fields');
    assert.equal(Number(job.processDefinitionVersion), 1);
    assert.equal(job.elementId, 'task');
    assert.match(job.elementInstanceKey, /^\d+$/);
    assert.equal(job.worker, 'conformance-worker');
    assert.equal(Number(job.retries), 3, 'the default retries');
    assert.deepEqual({ ...job.customHeaders }, { region: 'eu' });
    assert.deepEqual({ ...job.variables }, { b: 'two' }, 'only the fetched variable');
    assert.equal(job.tenantId, '<default>');
    const deadline = Number(job.deadline);
    assert.ok(deadline >= before + 29_000 && deadline <= Date.now() + 31_000, `deadline ${job.deadline}`);
    await harness.zeebe.completeJob({ jobKey: job.key, variables: {} });
  });

  it('redeploying the same model keeps its version and key; a changed model is version 2', async () => {
    const first = await harness.zeebe.deployResource({
      name: 'versions.bpmn',
      process: Buffer.from(oneTask('conformance-versions', 'v1')),
    });
    const again = await harness.zeebe.deployResource({
      name: 'versions.bpmn',
      process: Buffer.from(oneTask('conformance-versions', 'v1')),
    });
    const changed = await harness.zeebe.deployResource({
      name: 'versions.bpmn',
      process: Buffer.from(oneTask('conformance-versions', 'v2')),
    });
    const [p1, p1again, p2] = [first, again, changed].map((d) => d.deployments[0]!.process);
    assert.equal(Number(p1.version), 1);
    assert.equal(p1again.processDefinitionKey, p1.processDefinitionKey);
    assert.equal(Number(p1again.version), 1);
    assert.equal(Number(p2.version), 2);
    assert.notEqual(p2.processDefinitionKey, p1.processDefinitionKey);
  });

  it('SetVariables on the process instance: the waiting job sees them, and they are in the result', async () => {
    await deploy(oneTask('conformance-set-variables', 'conformance-set-variables'), 'set-variables.bpmn');
    const created = nextRecord((r) => r.valueType === 'JOB' && r.intent === 'CREATED');
    const result = run('conformance-set-variables', { a: 1 });
    const job = await created;
    await harness.zeebe.setVariables({
      elementInstanceKey: (job.value as { processInstanceKey: string }).processInstanceKey,
      variables: { b: 2 },
      local: false,
    });
    const seen: unknown[] = [];
    work('conformance-set-variables', (j) => {
      seen.push({ ...j.variables });
      return j.complete();
    });
    assert.deepEqual(await result, { a: 1, b: 2 });
    assert.deepEqual(seen, [{ a: 1, b: 2 }]);
  });

  it('an error no event catches raises an UNHANDLED_ERROR_EVENT incident naming its code', async () => {
    await deploy(oneTask('conformance-uncaught', 'conformance-uncaught'), 'uncaught.bpmn');
    const incident = nextRecord((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
    work('conformance-uncaught', (job) =>
      job.error({ errorCode: 'NOBODY_CATCHES', errorMessage: 'x', variables: {} }),
    );
    await harness.zeebe.createProcessInstance({ bpmnProcessId: 'conformance-uncaught', variables: {} });
    const { errorType, errorMessage } = (await incident).value as { errorType: string; errorMessage: string };
    assert.equal(errorType, 'UNHANDLED_ERROR_EVENT');
    assert.match(errorMessage, /NOBODY_CATCHES/);
  });
});
