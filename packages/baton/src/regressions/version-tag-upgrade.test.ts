import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LoggedRecord } from '@baton-engine/engine';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { createEngine } from '../engine.js';
import { activateOne } from '../test-support/fixture.js';
import { chain, end, model, serviceTask, start } from '../test-support/event-models.js';
import { stateOf } from '../internal.js';

const tagged = model('child', [
  { xml: '<bpmn:extensionElements><zeebe:versionTag value="v1"/></bpmn:extensionElements>' },
  start('cs'),
  serviceTask('work', 'child-work'),
  end('ce'),
  ...chain('cs', 'work', 'ce'),
]);
const caller = model('caller', [
  start('s'),
  {
    xml: '<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" bindingType="versionTag" versionTag="v1"/></bpmn:extensionElements></bpmn:callActivity>',
  },
  end('e'),
  ...chain('s', 'call', 'e'),
]);

describe('version tags of processes deployed before they were read', () => {
  it('deploying the same resource again makes a version call activities find by its tag', async () => {
    // A log written before version tags were read: the definition's executable has no versionTag.
    const before = createMemoryStoreFactory();
    const old = await createEngine({ store: before, snapshotEveryRecords: 1e9 });
    await old.deploy(tagged);
    await old.flush();
    const records: LoggedRecord[] = (await (await before.open(1)).read(1, 1_000)).map((record) => {
      if (record.valueType !== 'PROCESS' || record.recordType !== 'EVENT') return record;
      const { versionTag: _, ...executable } = (record.value as { executable: { versionTag?: string } })
        .executable;
      return { ...record, value: { ...record.value, executable } } as LoggedRecord;
    });
    await old.close();
    const upgraded = createMemoryStoreFactory();
    await (await upgraded.open(1)).append(records);

    const engine = await createEngine({ store: upgraded });
    const deployed = await engine.deploy([tagged, caller]);
    assert.equal(deployed.processes.find((p) => p.bpmnProcessId === 'child')?.version, 2);
    await engine.createInstance('caller');
    assert.equal((await activateOne(engine, 'child-work')).processDefinitionVersion, 2);
    assert.deepEqual([...stateOf(engine).openIncidents()], []);
    await engine.close();
  });
});
