import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { callActivity, chain, end, model, serviceTask, start } from './test-support/event-models.js';
import { stateOf } from './internal.js';

const child = model('child', [
  start('cs'),
  serviceTask('work', 'child-work'),
  end('ce'),
  ...chain('cs', 'work', 'ce'),
]);
const parent = model('parent', [
  start('s'),
  callActivity('call', 'child'),
  end('e'),
  ...chain('s', 'call', 'e'),
]);

describe('call activity', () => {
  it('starts the called process with the parent variables and returns the child variables', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy([child, parent]);
    engine.createWorker({
      type: 'child-work',
      handler: (job) => ({ doubled: (job.variables.n as number) * 2 }),
    });
    const result = await engine.createInstanceWithResult('parent', { n: 21 });
    assert.deepEqual(result.variables, { n: 21, doubled: 42 });
    await engine.close();
  });

  it('with propagation off, only the input mappings go in and only output mappings come out', async () => {
    const { engine } = await memoryEngine();
    const strict = model('strict', [
      start('s'),
      {
        xml: `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" propagateAllChildVariables="false" propagateAllParentVariables="false"/><zeebe:ioMapping><zeebe:input source="=n" target="n"/><zeebe:output source="=doubled" target="result"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>`,
      },
      end('e'),
      ...chain('s', 'call', 'e'),
    ]);
    await engine.deploy([child, strict]);
    engine.createWorker({
      type: 'child-work',
      handler: (job) => {
        assert.equal(job.variables.secret, undefined, 'parent variables stay out');
        return { doubled: (job.variables.n as number) * 2, noise: true };
      },
    });
    const result = await engine.createInstanceWithResult('strict', { n: 2, secret: 's' });
    assert.deepEqual(result.variables, { n: 2, secret: 's', result: 4 });
    await engine.close();
  });

  it('cancelling the parent cancels the child; the child cannot be cancelled on its own', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy([child, parent]);
    const instance = await engine.createInstance('parent');
    const job = await activateOne(engine, 'child-work');
    await assert.rejects(
      engine.cancelInstance(job.processInstanceKey),
      (e: BatonError) => e.code === 'INVALID_STATE' && /root process instance/.test(e.message),
    );
    await engine.cancelInstance(instance.processInstanceKey);
    assert.ok(trail(records, job.processInstanceKey).includes('child:ELEMENT_TERMINATED'));
    assert.ok(trail(records, instance.processInstanceKey).includes('call:ELEMENT_TERMINATED'));
    assert.ok(trail(records, instance.processInstanceKey).includes('parent:ELEMENT_TERMINATED'));
    assert.equal(stateOf(engine).counts.elementInstances, 0);
    await engine.close();
  });

  it('an unknown callee is an incident; deploying it and resolving continues', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(parent);
    const instance = await engine.createInstance('parent');
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'CALLED_ELEMENT_ERROR');
    assert.match(incident!.value.errorMessage, /'child' to be deployed/);
    await engine.deploy(child);
    await engine.resolveIncident(incident!.key);
    await engine.completeJob((await activateOne(engine, 'child-work')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    await engine.close();
  });

  it('a process that calls itself without end is stopped by an incident, not a crash', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('forever', [start('s'), callActivity('again', 'forever'), end('e'), ...chain('s', 'again', 'e')]),
    );
    await engine.createInstance('forever');
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.ok(
      incident && ['CALLED_ELEMENT_ERROR', 'PROCESSING_LIMIT_EXCEEDED'].includes(incident.value.errorType),
    );
    await engine.deploy(child); // the partition keeps serving
    await engine.close();
  });

  it('binds to the latest version carrying a version tag; an unknown tag is an incident naming it', async () => {
    const { engine } = await memoryEngine();
    const childTagged = (tag: string | undefined, type: string) =>
      model('child', [
        ...(tag
          ? [{ xml: `<bpmn:extensionElements><zeebe:versionTag value="${tag}"/></bpmn:extensionElements>` }]
          : []),
        start('cs'),
        serviceTask('work', type),
        end('ce'),
        ...chain('cs', 'work', 'ce'),
      ]);
    const caller = (id: string, tag: string) =>
      model(id, [
        start('s'),
        {
          xml: `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" bindingType="versionTag" versionTag="${tag}"/></bpmn:extensionElements></bpmn:callActivity>`,
        },
        end('e'),
        ...chain('s', 'call', 'e'),
      ]);
    await engine.deploy(childTagged('v1', 'v1-work'));
    await engine.deploy(childTagged('v2', 'v2-work'));
    await engine.deploy(childTagged(undefined, 'latest-work'));
    await engine.deploy([caller('pinned', 'v1'), caller('unknown', 'v9')]);
    await engine.createInstance('pinned');
    const first = await activateOne(engine, 'v1-work');
    assert.equal(first.processDefinitionVersion, 1);
    await engine.deploy(childTagged('v1', 'v1-again'));
    await engine.createInstance('pinned');
    assert.equal((await activateOne(engine, 'v1-again')).processDefinitionVersion, 4, 'the newest v1');
    await engine.createInstance('unknown');
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'CALLED_ELEMENT_ERROR');
    assert.match(incident!.value.errorMessage, /'child' and version tag 'v9' to be deployed/);
    await assert.rejects(
      engine.deploy(
        model('untagged', [
          start('s'),
          {
            xml: `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" bindingType="versionTag"/></bpmn:extensionElements></bpmn:callActivity>`,
          },
          end('e'),
          ...chain('s', 'call', 'e'),
        ]),
      ),
      (e: BatonError) => /'call'/.test(e.message) && /needs the version tag/.test(e.message),
    );
    await engine.close();
  });
});
