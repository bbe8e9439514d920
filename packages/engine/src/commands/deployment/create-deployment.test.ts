import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import { EngineHarness } from '../../testing/index.js';

const simple = createProcess('simple').startEvent().endEvent().done();

describe('CREATE deployment', () => {
  it('deploys version 1, then a new version only when the resource changed', async () => {
    const engine = new EngineHarness();
    const first = await engine.deploy(simple);
    const created = first.deployment().withIntent('CREATED').only().value.processesMetadata[0];
    assert.equal(created?.version, 1);
    assert.equal(first.ofValueType('PROCESS').withIntent('CREATED').length, 1);
    const same = await engine.deploy(simple);
    const duplicate = same.deployment().withIntent('CREATED').only().value.processesMetadata[0];
    assert.equal(duplicate?.duplicate, true);
    assert.equal(duplicate?.processDefinitionKey, created?.processDefinitionKey);
    const changed = await engine.deploy(createProcess('simple').startEvent().task('new').endEvent().done());
    assert.equal(changed.deployment().withIntent('CREATED').only().value.processesMetadata[0]?.version, 2);
  });

  it('refuses the same process id twice in one deployment', async () => {
    const engine = new EngineHarness();
    const refused = await engine.deploy(
      simple,
      createProcess('simple').startEvent().task('x').endEvent().done(),
    );
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(refused.rejection?.rejectionReason ?? '', /'simple' occurs twice/);
  });

  it('refuses a model that cannot run, naming the element', async () => {
    const engine = new EngineHarness();
    const xml = (await simple.toSemanticXml()).replace(
      '<bpmn:endEvent',
      '<bpmn:serviceTask id="no-type"/><bpmn:endEvent',
    );
    const refused = await engine.deploy(xml);
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(refused.rejection?.rejectionReason ?? '', /no-type/);
  });

  it('refuses internal commands from outside the engine', () => {
    const engine = new EngineHarness();
    const refused = engine.command({
      valueType: 'PROCESS_INSTANCE',
      intent: 'ACTIVATE_ELEMENT',
      value: {} as never,
    });
    assert.equal(refused.rejection?.rejectionType, 'INVALID_ARGUMENT');
    assert.match(refused.rejection?.rejectionReason ?? '', /internal command/);
  });
});
