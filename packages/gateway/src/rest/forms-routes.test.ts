import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { v2Api } from '../v2/index.js';
import { startHttpGateway } from './http-gateway.js';
import type { RunningHttpGateway } from './http-gateway.js';
import { stateOf } from '@baton-engine/baton/internal';

const processXml = (declaration: string, formDefinition: string, diagram = '') => `${declaration}
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="d" targetNamespace="t">
  <bpmn:process id="review" name="Prüfung" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="check"><bpmn:extensionElements><zeebe:userTask/>${formDefinition}</bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check"/><bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="e"/>
  </bpmn:process>${diagram}
</bpmn:definitions>`;

const reviewForm = JSON.stringify({ components: [], id: 'review-form', schemaVersion: 16 });

describe('REST: forms and resources as uploaded bytes (issue 13)', () => {
  let engine: Engine;
  let http: RunningHttpGateway;
  let base: string;
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };
  const upload = async (files: { name: string; bytes: Buffer }[]) => {
    const form = new FormData();
    for (const file of files) form.append('resources', new Blob([file.bytes]), file.name);
    const response = await fetch(`${base}/baton/v1/deployments`, { method: 'POST', body: form });
    return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: NO_AUTHENTICATION,
      plugins: [{ plugin: v2Api, prefix: '/v2' }],
    });
    base = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http.stop();
    await engine.close();
  });

  it('deploys an ISO-8859-1 upload and a form; the form is fetched by key and through its user task', async () => {
    const diagram =
      '<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="renamed"/></bpmndi:BPMNDiagram>';
    const deployed = await upload([
      {
        name: 'review.bpmn',
        bytes: Buffer.from(
          processXml(
            '<?xml version="1.0" encoding="ISO-8859-1"?>',
            '<zeebe:formDefinition formId="review-form"/>',
            diagram,
          ),
          'latin1',
        ),
      },
      { name: 'review.form', bytes: Buffer.from(reviewForm) },
    ]);
    assert.equal(deployed.status, 200, JSON.stringify(deployed.body));
    assert.equal(stateOf(engine).latestProcess('review')!.executable.name, 'Prüfung');
    const [form] = deployed.body.forms;
    assert.deepEqual(
      { ...form, formKey: undefined },
      {
        formId: 'review-form',
        version: 1,
        formKey: undefined,
        resourceName: 'review.form',
        duplicate: false,
      },
    );
    assert.equal(deployed.body.warnings.length, 1);
    assert.match(deployed.body.warnings[0], /'review.bpmn', element 'P': unresolved reference <renamed>/);

    const byKey = await get(`/baton/v1/forms/${form.formKey}`);
    assert.equal(byKey.status, 200);
    assert.deepEqual(
      { ...byKey.body, deploymentKey: undefined },
      {
        formKey: form.formKey,
        formId: 'review-form',
        version: 1,
        tenantId: '<default>',
        schema: JSON.parse(reviewForm),
        versionTag: '',
        resourceName: 'review.form',
        deploymentKey: undefined,
      },
    );
    assert.equal(byKey.body!.deploymentKey, deployed.body.key);
    const unknown = await get('/baton/v1/forms/4503599627370495');
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body!.detail), /Expected a deployed form with key '4503599627370495'/);
    assert.equal((await get('/baton/v1/forms/abc')).status, 400);

    await engine.createInstance('review');
    const [task] = engine.userTasks();
    const taskForm = await get(`/v2/user-tasks/${task!.key}/form`);
    assert.equal(taskForm.status, 200);
    assert.equal(taskForm.body!.formKey, form.formKey);
  });

  it('a user task without a linked form answers 204; an unknown task 404', async () => {
    await upload([
      {
        name: 'embedded.bpmn',
        bytes: Buffer.from(
          processXml(
            '<?xml version="1.0"?>',
            '<zeebe:formDefinition externalReference="https://forms.example/x"/>',
          ).replace('id="review"', 'id="external"'),
        ),
      },
    ]);
    await engine.createInstance('external');
    const task = engine.userTasks({}).find((t) => t.bpmnProcessId === 'external')!;
    assert.equal(task.formKey, 'https://forms.example/x');
    assert.equal((await get(`/v2/user-tasks/${task.key}/form`)).status, 204);
    assert.equal((await get('/v2/user-tasks/4503599627370495/form')).status, 404);
  });

  it('serves the start form of a process definition', async () => {
    const started = processXml('<?xml version="1.0"?>', '')
      .replace('id="review"', 'id="started"')
      .replace(
        '<bpmn:startEvent id="s"/>',
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:formDefinition formId="review-form"/></bpmn:extensionElements></bpmn:startEvent>',
      );
    const deployed = await upload([{ name: 'started.bpmn', bytes: Buffer.from(started) }]);
    const key = deployed.body.processes[0].processDefinitionKey;
    const startForm = await get(`/v2/process-definitions/${key}/form`);
    assert.equal(startForm.status, 200);
    assert.equal(startForm.body!.formId, 'review-form');
    assert.equal((await get('/v2/process-definitions/4503599627370495/form')).status, 404);
  });

  it('refuses a form without id with 400 naming the resource', async () => {
    const refused = await upload([{ name: 'a.form', bytes: Buffer.from('{}') }]);
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.message), /'a.form': Expected the form id to be present/);
  });
});
