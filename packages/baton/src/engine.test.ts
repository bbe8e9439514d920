import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  definitions,
  exclusiveChoice,
  oneTask,
  parallelForkJoin,
  threeTasks,
} from './test-support/models.js';
import { stateOf } from './internal.js';

function rejectsWith(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof BatonError, `expected a BatonError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

describe('deployment', () => {
  it('versions per process id: same XML gives the same version, changed XML a new one', async () => {
    const { engine } = await memoryEngine();
    const first = await engine.deploy({ name: 'a.bpmn', xml: oneTask('p', 'work') });
    const again = await engine.deploy({ name: 'a.bpmn', xml: oneTask('p', 'work') });
    const changed = await engine.deploy({ name: 'a.bpmn', xml: oneTask('p', 'other-work') });
    assert.equal(first.processes[0]!.version, 1);
    assert.equal(again.processes[0]!.version, 1);
    assert.equal(again.processes[0]!.duplicate, true);
    assert.equal(again.processes[0]!.processDefinitionKey, first.processes[0]!.processDefinitionKey);
    assert.equal(changed.processes[0]!.version, 2);
    await engine.close();
  });

  it('keeps running instances on their version after a new version is deployed', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(oneTask('p', 'v1-work'));
    const instance = await engine.createInstance('p');
    await engine.deploy(oneTask('p', 'v2-work'));
    const job = await activateOne(engine, 'v1-work');
    assert.equal(job.processDefinitionVersion, 1);
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const latest = await engine.createInstance('p');
    assert.equal(latest.version, 2);
    await engine.close();
  });

  it('rejects malformed XML, unknown and unsupported elements and FEEL syntax errors, naming where', async () => {
    const { engine } = await memoryEngine();
    await assert.rejects(engine.deploy('<bpmn:definitions'), rejectsWith('INVALID_ARGUMENT', /line 1/));
    await assert.rejects(
      engine.deploy(
        definitions(
          '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:complexGateway id="approve"/></bpmn:process>',
        ),
      ),
      rejectsWith('INVALID_ARGUMENT', /element 'approve'.*bpmn:ComplexGateway.*not supported/),
    );
    await assert.rejects(
      engine.deploy(
        definitions(
          '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:fancyThing id="x"/></bpmn:process>',
        ),
      ),
      rejectsWith('INVALID_ARGUMENT', /fancyThing/),
    );
    const badCondition = exclusiveChoice('bad').replace('=amount &gt; 100', '=amount &gt;');
    await assert.rejects(
      engine.deploy(badCondition),
      rejectsWith('INVALID_ARGUMENT', /element 'fBig'.*condition/),
    );
    const noType = oneTask('nt', 'x').replace('type="x"', 'type=""');
    await assert.rejects(
      engine.deploy(noType),
      rejectsWith('INVALID_ARGUMENT', /element 'task'.*taskDefinition/),
    );
    // Nothing half-deployed: a resource set with one bad resource deploys none.
    await assert.rejects(engine.deploy([oneTask('good', 'x'), '<nope']), rejectsWith('INVALID_ARGUMENT'));
    await assert.rejects(engine.createInstance('good'), rejectsWith('NOT_FOUND', /'good'/));
    // …and the engine keeps serving.
    await engine.deploy(oneTask('good', 'x'));
    await engine.createInstance('good');
    await engine.close();
  });
});

describe('process instances', () => {
  it('runs start → three service tasks → end and returns the result variables', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(threeTasks());
    for (const type of ['task-a', 'task-b', 'task-c']) {
      engine.createWorker({ type, handler: (job) => ({ [type]: (job.variables.input as number) + 1 }) });
    }
    const result = await engine.createInstanceWithResult('three-tasks', { input: 1 }, { timeout: 5_000 });
    assert.deepEqual(result.variables, { input: 1, 'task-a': 2, 'task-b': 2, 'task-c': 2 });
    assert.deepEqual(
      trail(records, result.processInstanceKey).filter((t) => t.endsWith('COMPLETED')),
      [
        'start:ELEMENT_COMPLETED',
        'a:ELEMENT_COMPLETED',
        'b:ELEMENT_COMPLETED',
        'c:ELEMENT_COMPLETED',
        'end:ELEMENT_COMPLETED',
        'three-tasks:ELEMENT_COMPLETED',
      ],
    );
    await engine.close();
  });

  it('returns only the fetched variables of an awaited result', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(threeTasks());
    for (const type of ['task-a', 'task-b', 'task-c'])
      engine.createWorker({ type, handler: () => ({ [type]: 1 }) });
    const result = await engine.createInstanceWithResult(
      'three-tasks',
      { x: 1 },
      { fetchVariables: ['task-b', 'missing'] },
    );
    assert.deepEqual(result.variables, { 'task-b': 1 });
    await engine.close();
  });

  it('takes the exclusive gateway branch whose condition holds, else the default flow', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(exclusiveChoice());
    const big = await engine.createInstance('choice', { amount: 500 });
    const small = await engine.createInstance('choice', { amount: 5 });
    await waitFor(() => completed(records, small.processInstanceKey), 'the default branch');
    assert.ok(trail(records, small.processInstanceKey).includes('auto:ELEMENT_COMPLETED'));
    const job = await activateOne(engine, 'review');
    assert.equal(job.processInstanceKey, big.processInstanceKey);
    assert.equal(job.variables.amount, 500);
    await engine.close();
  });

  it('raises a condition incident when no condition holds, naming the cause; fixing the variable resolves it', async () => {
    const { engine, records } = await memoryEngine();
    const xml = exclusiveChoice('strict')
      .replace(' default="fDefault"', '')
      .replace(
        '<bpmn:sequenceFlow id="fDefault" sourceRef="gw" targetRef="auto">',
        '<bpmn:sequenceFlow id="fDefault" sourceRef="gw" targetRef="auto"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &lt;= 100</bpmn:conditionExpression>',
      );
    await engine.deploy(xml);
    const instance = await engine.createInstance('strict', {});
    const state = stateOf(engine);
    const [incident] = [...state.openIncidents()];
    assert.ok(incident, 'an incident is open');
    assert.equal(incident.value.errorType, 'CONDITION_ERROR');
    assert.equal(incident.value.elementId, 'gw');
    assert.match(
      incident.value.errorMessage,
      /Expected result of the expression 'amount > 100' to be 'BOOLEAN', but was 'NULL'.*amount/,
    );
    await engine.setVariables(instance.processInstanceKey, { amount: 7 });
    await engine.resolveIncident(incident.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion after the fix');
    await engine.close();
  });

  it('forks and joins in parallel: the join waits for both branches', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(parallelForkJoin());
    const instance = await engine.createInstance('fork-join');
    const left = await activateOne(engine, 'left');
    const right = await activateOne(engine, 'right');
    await engine.completeJob(left.key, { l: 1 });
    await engine.flush();
    assert.equal(completed(records, instance.processInstanceKey), false);
    assert.ok(!trail(records, instance.processInstanceKey).includes('join:ELEMENT_ACTIVATING'));
    await engine.completeJob(right.key, { r: 2 });
    await waitFor(() => completed(records, instance.processInstanceKey), 'join completion');
    const joins = trail(records, instance.processInstanceKey).filter((t) => t === 'join:ELEMENT_COMPLETED');
    assert.equal(joins.length, 1);
    await engine.close();
  });

  it('evaluates a script task and stores its result', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(exclusiveChoice());
    const result = await engine.createInstanceWithResult('choice', { amount: 21 });
    assert.equal(result.variables.doubled, 42);
    await engine.close();
  });

  it('cancels an instance: its job is canceled and can no longer be completed', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    const instance = await engine.createInstance('p');
    const job = await activateOne(engine, 'work');
    await engine.cancelInstance(instance.processInstanceKey);
    assert.ok(trail(records, instance.processInstanceKey).includes('p:ELEMENT_TERMINATED'));
    assert.ok(records.some((r) => r.valueType === 'JOB' && r.intent === 'CANCELED' && r.key === job.key));
    await assert.rejects(engine.completeJob(job.key), rejectsWith('NOT_FOUND'));
    await assert.rejects(engine.cancelInstance(instance.processInstanceKey), rejectsWith('NOT_FOUND'));
    assert.equal(stateOf(engine).counts.elementInstances, 0);
    await engine.close();
  });

  it('rejects bad input with clear errors and keeps serving', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(oneTask('p', 'work'));
    await assert.rejects(engine.createInstance('nope'), rejectsWith('NOT_FOUND', /process ID 'nope'/));
    await assert.rejects(
      engine.createInstance('p', [1, 2] as never),
      rejectsWith('INVALID_ARGUMENT', /JSON object/),
    );
    await assert.rejects(engine.completeJob('2251799813685999'), rejectsWith('NOT_FOUND', /no such job/));
    await assert.rejects(engine.completeJob('not-a-key'), rejectsWith('NOT_FOUND'));
    await assert.rejects(
      engine.activateJobs({ type: 'work', worker: 'w', timeout: -5, maxJobsToActivate: 1 }),
      rejectsWith('INVALID_ARGUMENT', /timeout/),
    );
    await assert.rejects(engine.resolveIncident('2251799813685999'), rejectsWith('NOT_FOUND'));
    const instance = await engine.createInstance('p');
    const job = await activateOne(engine, 'work');
    await engine.completeJob(job.key);
    await assert.rejects(engine.completeJob(job.key), rejectsWith('NOT_FOUND'));
    assert.ok(instance.processInstanceKey);
    await engine.close();
  });

  it('refuses commands beyond the queue limit with RESOURCE_EXHAUSTED (back-pressure)', async () => {
    const { engine } = await memoryEngine({ maxQueuedCommands: 10 });
    await engine.deploy(oneTask('p', 'work'));
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.createInstance('p')));
    const refused = results.filter((r) => r.status === 'rejected');
    assert.ok(refused.length > 0);
    for (const r of refused)
      assert.equal(((r as PromiseRejectedResult).reason as BatonError).code, 'RESOURCE_EXHAUSTED');
    assert.ok(results.some((r) => r.status === 'fulfilled'));
    await engine.close();
  });

  it('spreads instances over partitions, with the deployment known on each', async () => {
    const { engine } = await memoryEngine({ partitions: 3 });
    await engine.deploy(threeTasks());
    for (const type of ['task-a', 'task-b', 'task-c']) engine.createWorker({ type, handler: () => ({}) });
    const results = await Promise.all(
      Array.from({ length: 9 }, () => engine.createInstanceWithResult('three-tasks')),
    );
    const partitions = new Set(results.map((r) => Number(BigInt(r.processInstanceKey) >> 51n)));
    assert.deepEqual([...partitions].sort(), [1, 2, 3]);
    await engine.close();
  });
});
