import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { threeTasks } from './test-support/models.js';
import { chain, end, flow, model, start } from './test-support/event-models.js';

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
});
