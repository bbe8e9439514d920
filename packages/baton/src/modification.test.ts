import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { threeTasks } from './test-support/models.js';
import {
  boundary,
  callActivity,
  catchEvent,
  chain,
  end,
  flow,
  model,
  multiTask,
  serviceTask,
  start,
  subProcess,
} from './test-support/event-models.js';

describe('process instance modification', () => {
  it('moves a token: terminate the stuck task and activate a later one with variables', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(threeTasks());
    const instance = await engine.createInstance('three-tasks');
    const stuck = await activateOne(engine, 'task-a');
    await engine.modifyInstance(instance.processInstanceKey, {
      activate: [{ elementId: 'c', variables: { skipped: 'a,b' } }],
      terminate: [stuck.elementInstanceKey],
    });
    const c = await activateOne(engine, 'task-c');
    assert.equal(c.variables.skipped, 'a,b');
    await engine.completeJob(c.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const path = trail(records, instance.processInstanceKey);
    assert.ok(path.includes('a:ELEMENT_TERMINATED') && !path.includes('b:ELEMENT_ACTIVATED'));
    await engine.close();
  });

  it('creates the sub-process an activated element needs, with its input mappings but not its start', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('nested', [
        start('s'),
        serviceTask('a', 'first'),
        {
          xml: `<bpmn:subProcess id="sp"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;set by sp&quot;" target="spVar"/></zeebe:ioMapping></bpmn:extensionElements>`,
        },
        start('sps'),
        serviceTask('inner1', 'inner1'),
        serviceTask('inner2', 'inner2'),
        end('spe'),
        ...chain('sps', 'inner1', 'inner2', 'spe'),
        { xml: '</bpmn:subProcess>' },
        end('e'),
        ...chain('s', 'a', 'sp', 'e'),
      ]),
    );
    const instance = await engine.createInstance('nested', { n: 1 });
    const stuck = await activateOne(engine, 'first');
    await engine.modifyInstance(instance.processInstanceKey, {
      activate: [{ elementId: 'inner2', variables: { fromModification: true } }],
      terminate: [stuck.elementInstanceKey],
    });
    const job = await activateOne(engine, 'inner2');
    assert.deepEqual(
      { ...job.variables },
      { n: 1, spVar: 'set by sp', fromModification: true },
      'the created sub-process has its input mappings',
    );
    await engine.completeJob(job.key);
    await waitFor(
      () => completed(records, instance.processInstanceKey),
      'completion through the created sub-process',
    );
    const path = trail(records, instance.processInstanceKey);
    assert.ok(
      !path.includes('inner1:ELEMENT_ACTIVATING') && !path.includes('sps:ELEMENT_ACTIVATING'),
      'no start',
    );
    assert.ok(path.includes('sp:ELEMENT_COMPLETED'));
    await engine.close();
  });

  it('refuses unknown elements and foreign element instances, changing nothing', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(threeTasks());
    const instance = await engine.createInstance('three-tasks');
    await assert.rejects(
      engine.modifyInstance(instance.processInstanceKey, { activate: [{ elementId: 'nope' }] }),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /'nope'/.test(e.message),
    );
    await assert.rejects(
      engine.modifyInstance(instance.processInstanceKey, { terminate: ['2251799813685999'] }),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT',
    );
    await assert.rejects(
      engine.modifyInstance('2251799813685999', {}),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    await activateOne(engine, 'task-a'); // still where it was
    await engine.close();
  });
});

describe('delete resource', () => {
  it('refuses a process with running instances; after that the previous version is the latest again', async () => {
    const { engine } = await memoryEngine();
    const v1 = await engine.deploy(model('p', [start('s'), end('e'), flow('s', 'e')]));
    const v2 = await engine.deploy(
      model('p', [
        start('s2'),
        {
          xml: '<bpmn:userTask id="wait"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>',
        },
        end('e'),
        ...chain('s2', 'wait', 'e'),
      ]),
    );
    const running = await engine.createInstance('p');
    assert.equal(running.version, 2);
    await assert.rejects(
      engine.deleteResource(v2.processes[0]!.processDefinitionKey),
      (e: BatonError) => e.code === 'INVALID_STATE' && /running/.test(e.message),
    );
    await engine.cancelInstance(running.processInstanceKey);
    await engine.deleteResource(v2.processes[0]!.processDefinitionKey);
    const again = await engine.createInstance('p');
    assert.equal(again.processDefinitionKey, v1.processes[0]!.processDefinitionKey);
    await assert.rejects(
      engine.deleteResource(v2.processes[0]!.processDefinitionKey),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    await engine.close();
  });
});

describe('process instance migration', () => {
  it('moves a waiting instance to a new version by an element mapping; the job follows', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(threeTasks('order'));
    const v2xml = threeTasks('order')
      .replace(/id="c"/, 'id="c2"')
      .replace(/targetRef="c"/g, 'targetRef="c2"')
      .replace(/sourceRef="c"/g, 'sourceRef="c2"');
    const v2 = await engine.deploy(v2xml);
    const instance = await engine.createInstance('order', {}, { version: 1 });
    await engine.completeJob((await activateOne(engine, 'task-a')).key);
    const b = await activateOne(engine, 'task-b');
    await engine.migrateInstance(instance.processInstanceKey, v2.processes[0]!.processDefinitionKey, {
      b: 'b',
    });
    await engine.completeJob(b.key);
    const c = await activateOne(engine, 'task-c');
    assert.equal(c.elementId, 'c2', 'the instance continues on the new version');
    assert.equal(c.processDefinitionVersion, 2);
    await engine.completeJob(c.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion on v2');
    await engine.close();
  });

  it('refuses unmapped elements, type changes and waiting events, with the reason', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(threeTasks('order'));
    const other = await engine.deploy(
      model('other', [
        start('s'),
        {
          xml: '<bpmn:userTask id="b"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>',
        },
        end('e'),
        ...chain('s', 'b', 'e'),
      ]),
    );
    const instance = await engine.createInstance('order');
    await activateOne(engine, 'task-a');
    const target = other.processes[0]!.processDefinitionKey;
    await assert.rejects(
      engine.migrateInstance(instance.processInstanceKey, target, {}),
      (e: BatonError) => e.code === 'INVALID_STATE' && /'a' is not mapped/.test(e.message),
    );
    await assert.rejects(
      engine.migrateInstance(instance.processInstanceKey, target, { a: 'b' }),
      (e: BatonError) => /another type/.test(e.message),
    );
    await assert.rejects(
      engine.migrateInstance(instance.processInstanceKey, '2251799813685999', {}),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    await engine.close();
  });

  it('moves what an instance waits for: a message catch event, boundary events and their subscriptions', async () => {
    const { engine, records } = await memoryEngine();
    const version = (suffix: string, extraBoundary = false) =>
      model('waits', [
        start('s'),
        catchEvent(`paid${suffix}`, { message: 'paid', key: '=orderId' }),
        serviceTask(`ship${suffix}`, 'ship'),
        boundary(`cancelled${suffix}`, `ship${suffix}`, { message: 'cancel', key: '=orderId' }),
        ...(extraBoundary
          ? [boundary('late', `ship${suffix}`, { timer: 'duration', value: 'PT1H' }), end('too-late')]
          : []),
        end(`e${suffix}`),
        end(`stopped${suffix}`),
        ...chain('s', `paid${suffix}`, `ship${suffix}`, `e${suffix}`),
        flow(`cancelled${suffix}`, `stopped${suffix}`),
        ...(extraBoundary ? [flow('late', 'too-late')] : []),
      ]);
    await engine.deploy(version(''));
    const v2 = (await engine.deploy(version('2'))).processes[0]!.processDefinitionKey;
    const v3 = (await engine.deploy(version('3', true))).processes[0]!.processDefinitionKey;

    // Waiting at a message catch event: its subscription moves with it.
    const a = await engine.createInstance('waits', { orderId: 'A' }, { version: 1 });
    await engine.migrateInstance(a.processInstanceKey, v2, { paid: 'paid2' });
    await engine.publishMessage('paid', 'A');
    assert.equal((await activateOne(engine, 'ship')).elementId, 'ship2');
    await engine.publishMessage('cancel', 'A');
    await waitFor(
      () => trail(records, a.processInstanceKey).includes('stopped2:ELEMENT_COMPLETED'),
      'A stopped on v2',
    );

    // Waiting in a task with a message boundary event: refused until every event is mapped, then moved.
    const b = await engine.createInstance('waits', { orderId: 'B' }, { version: 1 });
    await engine.publishMessage('paid', 'B');
    await activateOne(engine, 'ship');
    await assert.rejects(
      engine.migrateInstance(b.processInstanceKey, v2, { ship: 'ship2' }),
      (e: BatonError) =>
        e.code === 'INVALID_STATE' && /waits for the event 'cancelled', which is not mapped/.test(e.message),
    );
    await assert.rejects(
      engine.migrateInstance(b.processInstanceKey, v3, { ship: 'ship3', cancelled: 'cancelled3' }),
      (e: BatonError) =>
        /has the boundary event 'late', which nothing in the instance maps to/.test(e.message),
    );
    await assert.rejects(
      engine.migrateInstance(b.processInstanceKey, v2, { ship: 'ship2', cancelled: 'e2' }),
      (e: BatonError) => /not the same kind of event/.test(e.message),
    );
    await engine.migrateInstance(b.processInstanceKey, v2, { ship: 'ship2', cancelled: 'cancelled2' });
    await engine.publishMessage('cancel', 'B');
    await waitFor(
      () => trail(records, b.processInstanceKey).includes('stopped2:ELEMENT_COMPLETED'),
      'B stopped on v2',
    );
    await engine.close();
  });

  it('refuses a target whose scope has an event sub-process the instance does not wait for', async () => {
    const { engine } = await memoryEngine();
    const plain = [start('s'), serviceTask('work', 'work'), end('e'), ...chain('s', 'work', 'e')];
    await engine.deploy(model('esp', plain));
    const withTimer = await engine.deploy(
      model('esp', [
        ...plain,
        subProcess(
          'on-tick',
          [start('tick', { timer: 'duration', value: 'PT1H' }), end('te'), ...chain('tick', 'te')],
          {
            triggeredByEvent: true,
          },
        ),
      ]),
    );
    const instance = await engine.createInstance('esp', {}, { version: 1 });
    await activateOne(engine, 'work');
    await assert.rejects(
      engine.migrateInstance(instance.processInstanceKey, withTimer.processes[0]!.processDefinitionKey, {
        work: 'work',
      }),
      (e: BatonError) =>
        /event sub-process start event 'tick', which nothing in the instance maps to/.test(e.message),
    );
    await engine.close();
  });

  it('moves a multi-instance activity with its inner instances, and a call activity with its running child', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('child', [
        start('cs'),
        serviceTask('inner', 'child-work'),
        end('ce'),
        ...chain('cs', 'inner', 'ce'),
      ]),
    );
    const version = (suffix: string, sequential = false) =>
      model('parent', [
        start('s'),
        multiTask(`each${suffix}`, 'each', 'inputCollection="=items" inputElement="item"', { sequential }),
        callActivity(`call${suffix}`, 'child'),
        end(`e${suffix}`),
        ...chain('s', `each${suffix}`, `call${suffix}`, `e${suffix}`),
      ]);
    await engine.deploy(version(''));
    const v2 = (await engine.deploy(version('2'))).processes[0]!.processDefinitionKey;
    const v3 = (await engine.deploy(version('3', true))).processes[0]!.processDefinitionKey;
    const instance = await engine.createInstance('parent', { items: [1, 2] }, { version: 1 });
    const first = await activateOne(engine, 'each');
    await assert.rejects(
      engine.migrateInstance(instance.processInstanceKey, v3, { each: 'each3' }),
      (e: BatonError) => /'each' is mapped to 'each3', which is sequential/.test(e.message),
    );
    await engine.migrateInstance(instance.processInstanceKey, v2, { each: 'each2' });
    await engine.completeJob(first.key);
    const second = await activateOne(engine, 'each');
    assert.equal(second.elementId, 'each2');
    await engine.completeJob(second.key);
    const inner = await activateOne(engine, 'child-work'); // the call activity on v2 now runs a child
    const v1 = (await engine.deploy(version('4'))).processes[0]!.processDefinitionKey;
    await engine.migrateInstance(instance.processInstanceKey, v1, { call2: 'call4' });
    await engine.completeJob(inner.key);
    await waitFor(
      () => trail(records, instance.processInstanceKey).includes('e4:ELEMENT_COMPLETED'),
      'the parent ends on v4',
    );
    await engine.close();
  });
});
