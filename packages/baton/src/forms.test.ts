import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { BatonError } from './errors.js';
import { activateOne, memoryEngine } from './test-support/fixture.js';
import { chain, end, model, start, userTask } from './test-support/event-models.js';
import { partitionsOf, stateOf } from './internal.js';

/** A Camunda Form as Modeler saves it. */
const form = (id: string, label = 'Approved?', extra = '') =>
  JSON.stringify({
    components: [{ label, type: 'checkbox', id: 'Field_1', key: 'approved' }],
    type: 'default',
    id,
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.6.0',
    exporter: { name: 'Camunda Modeler', version: '5.28.0' },
    schemaVersion: 16,
    ...(extra ? { versionTag: extra } : {}),
  });

const linked = (processId: string, formDefinition: string, native = true) =>
  model(processId, [
    start('s'),
    userTask('review', `${native ? '<zeebe:userTask/>' : ''}<zeebe:formDefinition ${formDefinition}/>`),
    end('e'),
    ...chain('s', 'review', 'e'),
  ]);

describe('forms (issue 13)', () => {
  it('deploys a form with id, version 1 and a key; the same form again is a duplicate, a changed one version 2', async () => {
    const { engine, records } = await memoryEngine();
    const first = await engine.deploy({ name: 'approve.form', xml: form('approve') });
    assert.equal(first.forms.length, 1);
    const deployed = first.forms[0]!;
    assert.deepEqual(
      { ...deployed, formKey: undefined },
      { formId: 'approve', version: 1, formKey: undefined, resourceName: 'approve.form', duplicate: false },
    );
    const again = await engine.deploy({ name: 'approve.form', xml: form('approve') });
    assert.deepEqual(again.forms[0], { ...deployed, duplicate: true });
    const changed = await engine.deploy({ name: 'approve.form', xml: form('approve', 'Approve it?') });
    assert.equal(changed.forms[0]!.version, 2);
    assert.notEqual(changed.forms[0]!.formKey, deployed.formKey);

    const fetched = (await engine.form(deployed.formKey))!;
    assert.equal(fetched.formId, 'approve');
    assert.equal(fetched.version, 1);
    assert.equal(JSON.parse(fetched.schema).components[0].label, 'Approved?');
    assert.equal((await engine.latestForm('approve'))!.version, 2);
    assert.equal(await engine.form('123'), undefined);
    const created = records.filter((r) => r.valueType === 'FORM' && r.intent === 'CREATED');
    assert.equal(created.length, 2, 'one FORM CREATED per new version, none for the duplicate');
    await engine.close();
  });

  it('versions the forms of a deployment together with its processes, as Zeebe does', async () => {
    const { engine } = await memoryEngine();
    const first = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve"') },
      { name: 'approve.form', xml: form('approve') },
    ]);
    const changedProcess = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve" bindingType="deployment"') },
      { name: 'approve.form', xml: form('approve') },
    ]);
    assert.equal(changedProcess.processes[0]!.version, 2);
    assert.equal(
      changedProcess.forms[0]!.version,
      2,
      'the unchanged form gets a new version with the process',
    );
    assert.equal(changedProcess.forms[0]!.duplicate, false);
    const same = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve" bindingType="deployment"') },
      { name: 'approve.form', xml: form('approve') },
    ]);
    assert.equal(same.forms[0]!.version, 2);
    assert.equal(same.forms[0]!.duplicate, true);
    assert.notEqual(first.forms[0]!.formKey, same.forms[0]!.formKey);
    await engine.close();
  });

  it('refuses invalid form JSON, a form without id and a form id twice in a deployment, naming the resource', async () => {
    const { engine } = await memoryEngine();
    const refused = async (resources: { name: string; xml: string }[], pattern: RegExp) =>
      assert.rejects(
        engine.deploy(resources),
        (e: BatonError) => e.code === 'INVALID_ARGUMENT' && pattern.test(e.message),
      );
    await refused([{ name: 'broken.form', xml: '{"id": "x", ' }], /'broken.form': Failed to parse form JSON/);
    await refused(
      [{ name: 'anonymous.form', xml: '{"components": []}' }],
      /'anonymous.form': Expected the form id to be present/,
    );
    await refused([{ name: 'blank.form', xml: '{"id": " "}' }], /'blank.form'.*blank/);
    await refused(
      [
        { name: 'a.form', xml: form('same') },
        { name: 'b.form', xml: form('same', 'other') },
      ],
      /duplicated id 'same' in the resources 'a.form' and 'b.form'/,
    );
    // All or nothing: a bad form refuses the process deployed with it.
    await refused(
      [
        { name: 'p.bpmn', xml: linked('p', 'formId="approve"') },
        { name: 'bad.form', xml: 'not json' },
      ],
      /'bad.form'/,
    );
    assert.equal(stateOf(engine).latestProcess('p'), undefined);
    await engine.close();
  });

  it('resolves a linked form (formId) to the latest form key on a Camunda user task', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy({ name: 'approve.form', xml: form('approve') });
    const v2 = await engine.deploy({ name: 'approve.form', xml: form('approve', 'v2') });
    await engine.deploy({ name: 'p.bpmn', xml: linked('p', 'formId="approve"') });
    await engine.createInstance('p');
    const [task] = engine.userTasks();
    assert.equal(task!.formKey, v2.forms[0]!.formKey);
    assert.equal((await engine.userTaskForm(task!.key))!.version, 2);
    await engine.close();
  });

  it('a linked form on a job-based user task becomes the formKey header', async () => {
    const { engine } = await memoryEngine();
    const deployment = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve"', false) },
      { name: 'approve.form', xml: form('approve') },
    ]);
    await engine.createInstance('p');
    const job = await activateOne(engine, 'io.camunda.zeebe:userTask');
    assert.equal(job.customHeaders['io.camunda.zeebe:formKey'], deployment.forms[0]!.formKey);
    await engine.close();
  });

  it('a linked form that is not deployed is a FORM_NOT_FOUND incident; deploy it and resolve, and the task is created', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy({ name: 'p.bpmn', xml: linked('p', 'formId="=formName"') });
    await engine.createInstance('p', { formName: 'later' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'FORM_NOT_FOUND');
    assert.match(incident!.value.errorMessage, /Expected to find a form with id 'later'/);
    assert.equal(engine.userTasks().length, 0);
    const deployed = await engine.deploy({ name: 'later.form', xml: form('later') });
    await engine.resolveIncident(incident!.key);
    const [task] = engine.userTasks();
    assert.equal(task?.formKey, deployed.forms[0]!.formKey);
    await engine.close();
  });

  it('binds by deployment and by version tag', async () => {
    const { engine } = await memoryEngine();
    const tagged = await engine.deploy({ name: 'approve.form', xml: form('approve', 'tagged', 'v1.0') });
    const withProcess = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve" bindingType="deployment"') },
      { name: 'approve.form', xml: form('approve', 'deployed with p') },
    ]);
    await engine.deploy({ name: 'approve.form', xml: form('approve', 'latest') });
    await engine.deploy({
      name: 't.bpmn',
      xml: linked('t', 'formId="approve" bindingType="versionTag" versionTag="v1.0"'),
    });
    await engine.deploy({
      name: 'missing.bpmn',
      xml: linked('missing', 'formId="approve" bindingType="versionTag" versionTag="v9"'),
    });
    await engine.createInstance('p');
    await engine.createInstance('t');
    await engine.createInstance('missing');
    const formOf = (processId: string) =>
      engine.userTasks().find((t) => t.bpmnProcessId === processId)?.formKey;
    assert.equal(formOf('p'), withProcess.forms[0]!.formKey);
    assert.equal(formOf('t'), tagged.forms[0]!.formKey);
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.errorType, 'FORM_NOT_FOUND');
    assert.match(incident!.value.errorMessage, /version tag 'v9'/);
    await engine.close();
  });

  it('embedded forms keep their camunda-forms key', async () => {
    const { engine } = await memoryEngine();
    const xml = linked('p', 'formKey="camunda-forms:bpmn:userTaskForm_1"', false).replace(
      '<bpmn:startEvent id="s"',
      `<bpmn:extensionElements><zeebe:userTaskForm id="userTaskForm_1">${form('embedded').replace(/"/g, '&quot;')}</zeebe:userTaskForm></bpmn:extensionElements><bpmn:startEvent id="s"`,
    );
    await engine.deploy({ name: 'p.bpmn', xml });
    await engine.createInstance('p');
    const job = await activateOne(engine, 'io.camunda.zeebe:userTask');
    assert.equal(job.customHeaders['io.camunda.zeebe:formKey'], 'camunda-forms:bpmn:userTaskForm_1');
    await engine.close();
  });

  it('the start form of a process is the latest version of the form its start event links to', async () => {
    const { engine } = await memoryEngine();
    const startLinked = (id: string, formDefinition: string) =>
      model(id, [start('s'), end('e'), ...chain('s', 'e')]).replace(
        '<bpmn:startEvent id="s">',
        `<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition ${formDefinition}/></bpmn:extensionElements>`,
      );
    const deployment = await engine.deploy([
      { name: 'request.bpmn', xml: startLinked('request', 'formId="request-form"') },
      { name: 'plain.bpmn', xml: startLinked('plain', 'externalReference="https://forms.example/start"') },
    ]);
    const [request, plain] = deployment.processes;
    assert.equal(await engine.startForm(request!.processDefinitionKey), undefined, 'not deployed yet');
    await engine.deploy({ name: 'request-form.form', xml: form('request-form') });
    const v2 = await engine.deploy({ name: 'request-form.form', xml: form('request-form', 'v2') });
    assert.equal((await engine.startForm(request!.processDefinitionKey))?.formKey, v2.forms[0]!.formKey);
    assert.equal(await engine.startForm(plain!.processDefinitionKey), undefined);
    await assert.rejects(
      () => engine.startForm('123'),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    // The start event is not held up by its form: an instance starts without it.
    await engine.createInstance('request');
    await engine.close();
  });

  it('a form can be deleted; the previous version is the latest again', async () => {
    const { engine } = await memoryEngine();
    const v1 = await engine.deploy({ name: 'approve.form', xml: form('approve') });
    const v2 = await engine.deploy({ name: 'approve.form', xml: form('approve', 'v2') });
    await engine.deleteResource(v2.forms[0]!.formKey);
    assert.equal(await engine.form(v2.forms[0]!.formKey), undefined);
    assert.equal((await engine.latestForm('approve'))!.formKey, v1.forms[0]!.formKey);
    await assert.rejects(
      engine.deleteResource(v2.forms[0]!.formKey),
      (e: BatonError) => e.code === 'NOT_FOUND',
    );
    await engine.close();
  });

  it('forms are known on every partition, and replaying the log gives the same state', async () => {
    const { engine, factory } = await memoryEngine({ partitions: 2, snapshotEveryRecords: 1e9 });
    const deployment = await engine.deploy([
      { name: 'p.bpmn', xml: linked('p', 'formId="approve"') },
      { name: 'approve.form', xml: form('approve') },
    ]);
    await engine
      .deploy({ name: 'gone.form', xml: form('gone') })
      .then((d) => engine.deleteResource(d.forms[0]!.formKey));
    for (let i = 0; i < 4; i++) await engine.createInstance('p');
    const tasks = engine.userTasks();
    assert.equal(tasks.length, 4);
    assert.deepEqual(new Set(tasks.map((t) => t.formKey)), new Set([deployment.forms[0]!.formKey]));
    assert.ok(stateOf(engine, 2).forms.byKey(deployment.forms[0]!.formKey));
    await engine.flush();
    for (const runtime of partitionsOf(engine)) {
      const live = runtime.engineState.toSnapshot();
      const replayed = new EngineState(runtime.partitionId);
      const processor = new StreamProcessor(replayed);
      for (const record of await (await factory.open(runtime.partitionId)).read(1, 1_000_000))
        processor.replay(record);
      assert.deepEqual(replayed.toSnapshot(), live);
      const restored = EngineState.fromSnapshot(runtime.partitionId, live);
      assert.deepEqual(restored.toSnapshot(), live, 'a snapshot holds the forms');
    }
    await engine.close();
  });
});
