import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { callActivity, chain, end, model, serviceTask, start } from '../test-support/event-models.js';
import { oneTask, threeTasks } from '../test-support/models.js';
import { createTestEngine, expectInstance } from './index.js';
import type { TestEngine } from './index.js';

/** Runs an assertion that must fail and returns its message. */
async function failureOf(assertion: Promise<void>): Promise<string> {
  const error = await assertion.then(
    () => assert.fail('expected the assertion to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AssertionError, `an AssertionError, got ${String(error)}`);
  return error.message;
}

describe('baton/testing: assertion failures say where the instance is', () => {
  let harness: TestEngine;
  beforeEach(async () => {
    // Failing assertions wait this long for the expected state: keep it short here.
    harness = await createTestEngine({ waitTimeout: 50 });
    await harness.deploy(threeTasks(), oneTask('pay', 'payment'));
  });
  afterEach(() => harness.close());

  it('lists the active and completed elements, open incidents and variables', async () => {
    const instance = await harness.createInstance('three-tasks', { orderId: 'o-1', lines: [{ sku: 'x' }] });
    await harness.completeJob('task-a', { paid: true });
    const message = await failureOf(expectInstance(instance).toHaveCompleted());
    const key = instance.processInstanceKey;
    assert.equal(
      message,
      [
        `Expected process instance ${key} of 'three-tasks' to have completed, but it is ACTIVE (waited 50 ms).`,
        '',
        `Process instance ${key} of 'three-tasks' (version 1) is ACTIVE.`,
        "  Waiting at:         b (SERVICE_TASK; job 'task-b' ACTIVATABLE, 3 retries left)",
        '  Completed:          start, a',
        '  Open incidents:     (none)',
        '  Variables:          orderId = "o-1"',
        '                      lines = [{"sku":"x"}]',
        '                      paid = true',
      ].join('\n'),
    );
  });

  it('names what is missing for each kind of assertion', async () => {
    const instance = await harness.createInstance('three-tasks', { amount: 10 });
    const expect = expectInstance(instance);
    assert.match(
      await failureOf(expect.toHavePassed('start', 'a', 'c')),
      /to have passed 'start', 'a', 'c', but 'a', 'c' did not complete/,
    );
    assert.match(
      await failureOf(expect.toBeWaitingAt('c')),
      /to be waiting at 'c', but it is not waiting at 'c'/,
    );
    assert.match(
      await failureOf(expect.not.toBeWaitingAt('a')),
      /not to be waiting at 'a', but it is waiting at 'a'/,
    );
    assert.match(
      await failureOf(expect.toHaveVariables({ amount: 11, currency: 'EUR' })),
      /'amount' is 10, expected 11; 'currency' is not set \(expected "EUR"\)/,
    );
    assert.match(
      await failureOf(expect.toHaveIncident('a')),
      /to have an open incident at 'a', but it has no open incident/,
    );
    assert.match(await failureOf(expect.toHaveBeenTerminated()), /to have been terminated, but it is ACTIVE/);
    await harness.completeJob('task-a');
    await harness.completeJob('task-b');
    assert.match(
      await failureOf(expect.toHavePassedInOrder('b', 'a')),
      /in this order, but the elements completed in this order: 'start', 'a', 'b'/,
    );
  });

  it('shows open incidents with their messages, and the job behind a waiting task', async () => {
    const instance = await harness.createInstance('pay');
    await harness.failJob('payment', { retries: 0, errorMessage: 'card declined' });
    const message = await failureOf(expectInstance(instance).toHaveCompleted());
    const [incident] = harness.incidents(instance);
    assert.match(message, /Waiting at: +task \(SERVICE_TASK; job 'payment' FAILED, 0 retries left\)/);
    assert.match(
      message,
      new RegExp(`Open incidents: +task: JOB_NO_RETRIES 'card declined' \\(incident ${incident!.key}\\)`),
    );
    assert.match(
      await failureOf(expectInstance(instance).toHaveIncident('task', 'expired')),
      /with a message containing 'expired', but its open incidents are: task: 'card declined'/,
    );
    assert.match(
      await failureOf(expectInstance(instance).not.toHaveIncident()),
      /not to have an open incident, but it has: task: 'card declined'/,
    );
    await expectInstance(instance).toHaveIncident('task', /card/);
    await expectInstance(instance).toHaveIncident();
  });

  it('says when it never saw the instance', async () => {
    const message = await failureOf(harness.expectInstance('2251799813999999').toBeActive());
    assert.match(message, /but no event of it was seen/);
    assert.match(message, /No event of process instance 2251799813999999 was committed on this engine/);
  });

  it('refuses an instance handle that no test engine created', () => {
    assert.throws(
      () =>
        expectInstance({
          processInstanceKey: '1',
          bpmnProcessId: 'x',
          version: 1,
          processDefinitionKey: '2',
        }),
      /was not created by a test engine; use harness.expectInstance/,
    );
  });

  it('fails clearly when no job of a type comes, naming those that are there', async () => {
    await harness.createInstance('three-tasks');
    await harness.createInstance('three-tasks');
    const message = await failureOf(harness.completeJob('payment').then(() => undefined));
    assert.equal(
      message,
      [
        "Expected a job of type 'payment' to work on, but none was activatable within 50 ms.",
        "  Activatable jobs:    'task-a' (2)",
        "  Jobs of 'payment': (none)",
      ].join('\n'),
    );
  });

  it('points at back-off when the job of that type is not activatable yet', async () => {
    const instance = await harness.createInstance('pay');
    await harness.failJob('payment', { retries: 1, retryBackoff: 'PT1M' });
    const message = await failureOf(harness.completeJob('payment').then(() => undefined));
    assert.match(message, /Activatable jobs: +\(none\)/);
    assert.match(
      message,
      new RegExp(
        `at 'task' of instance ${instance.processInstanceKey}: job 'payment' BACKOFF, 1 retry left, back-off until 2030-01-01T00:01:00.000Z`,
      ),
    );
    assert.match(message, /becomes activatable when time passes: advanceTime/);
  });
});

describe('baton/testing: assertions wait for the expected state', () => {
  let harness: TestEngine;
  afterEach(() => harness.close());

  it('waits a bounded time for work done outside the engine, such as a real worker', async () => {
    harness = await createTestEngine();
    await harness.deploy(oneTask('slow', 'slow'));
    harness.engine.createWorker({
      type: 'slow',
      handler: async () => {
        await delay(100); // real time: the harness cannot know when this ends
        return { done: true };
      },
    });
    const instance = await harness.createInstance('slow');
    await expectInstance(instance).toHaveCompleted();
    await expectInstance(instance).toHaveVariables({ done: true });
  });

  it('reaches instances started by the process itself, such as called ones', async () => {
    harness = await createTestEngine({ waitTimeout: 50 });
    await harness.deploy(
      model('child', [
        start('cs'),
        serviceTask('child-work', 'child-work'),
        end('ce'),
        ...chain('cs', 'child-work', 'ce'),
      ]),
      model('parent', [start('ps'), callActivity('call', 'child'), end('pe'), ...chain('ps', 'call', 'pe')]),
    );
    const parent = await harness.createInstance('parent');
    const [child] = harness.instances('child');
    assert.ok(child);
    await expectInstance(child).toBeWaitingAt('child-work');
    const message = await failureOf(expectInstance(parent).toHaveCompleted());
    assert.match(message, /Waiting at: +call \(CALL_ACTIVITY\)/);
    assert.match(message, new RegExp(`Called instances: +${child.processInstanceKey} of 'child' is ACTIVE`));
    await harness.completeJob('child-work', { fromChild: 1 });
    await expectInstance(child).toHaveCompleted();
    await expectInstance(parent).toHaveCompleted();
    await expectInstance(parent).toHaveVariables({ fromChild: 1 });
  });
});
