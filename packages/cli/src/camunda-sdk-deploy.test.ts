import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION, startGrpcGateway } from '@baton-engine/gateway';
import type { RunningGrpcGateway } from '@baton-engine/gateway';
import { sdkClient } from './test-clients.js';
import type { Zeebe } from './test-clients.js';
import { stateOf } from '@baton-engine/baton/internal';

/** A process with a linked-form user task (job-based, so an SDK worker can take it), named in German. */
const reviewProcess = (declaration: string, diagram = '') => `${declaration}
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d" targetNamespace="t">
  <bpmn:process id="review" name="Prüfung" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="check" name="Größe prüfen">
      <bpmn:extensionElements><zeebe:formDefinition formId="review-form"/></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check"/><bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="e"/>
  </bpmn:process>${diagram}
</bpmn:definitions>`;

const reviewForm = (label: string) =>
  JSON.stringify({
    components: [{ label, type: 'textfield', id: 'Field_1', key: 'comment' }],
    type: 'default',
    id: 'review-form',
    schemaVersion: 16,
  });

describe('@camunda8/sdk deploys real Modeler material (issue 13)', { timeout: 60_000 }, () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let zeebe: Zeebe;
  const logged: { level: number; msg: string }[] = [];
  before(async () => {
    engine = await createEngine({ store: 'memory' });
    const log = pino({}, { write: (line: string) => void logged.push(JSON.parse(line)) });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION, log });
    zeebe = sdkClient(gateway.port);
  });
  after(async () => {
    await zeebe.close();
    await gateway.stop();
    await engine.close();
  });

  it('a model encoded in ISO-8859-1 deploys with its names intact', async () => {
    const bytes = Buffer.from(reviewProcess('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'latin1');
    assert.equal(bytes.includes(Buffer.from('ü')), false, 'really Latin-1 bytes, not UTF-8');
    const deployment = await zeebe.deployResource({ process: bytes, name: 'review-latin1.bpmn' });
    assert.equal(deployment.deployments[0]!.process.bpmnProcessId, 'review');
    const process = stateOf(engine).latestProcess('review')!;
    assert.equal(process.executable.name, 'Prüfung');
    assert.equal(process.executable.elements.check!.name, 'Größe prüfen');
  });

  it('a diagram pointing to a renamed process deploys', async () => {
    const diagram = `<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="old_process_id">
      <bpmndi:BPMNShape id="S" bpmnElement="s"><dc:Bounds x="1" y="1" width="36" height="36"/></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const deployment = await zeebe.deployResource({
      process: Buffer.from(reviewProcess('<?xml version="1.0" encoding="UTF-8"?>', diagram)),
      name: 'review-renamed.bpmn',
    });
    assert.equal(deployment.deployments[0]!.process.bpmnProcessId, 'review');
    // The protocol has no field for warnings: the gateway logs them.
    const warning = logged.find((l) => /unresolved reference <old_process_id>/.test(l.msg));
    assert.equal(warning?.level, 40, 'logged as a warning');
    assert.match(warning!.msg, /'review-renamed.bpmn', element 'P'/);
  });

  it('deploys a process with its form in one call: FormMetadata, versions, and the form key on the task', async () => {
    const first = await zeebe.deployResources([
      { process: Buffer.from(reviewProcess('<?xml version="1.0" encoding="UTF-8"?>')), name: 'review.bpmn' },
      { form: Buffer.from(reviewForm('Comment')), name: 'review.form' },
    ]);
    const formOf = (d: typeof first) =>
      (
        d.deployments as {
          form?: { formId: string; version: number; formKey: string; resourceName: string; tenantId: string };
        }[]
      ).find((x) => x.form)!.form!;
    const form = formOf(first);
    assert.equal(form.formId, 'review-form');
    assert.equal(form.version, 1);
    assert.equal(form.resourceName, 'review.form');
    assert.equal(form.tenantId, '<default>');
    assert.match(String(form.formKey), /^[1-9]\d*$/);

    const again = await zeebe.deployResource({
      form: Buffer.from(reviewForm('Comment')),
      name: 'review.form',
    });
    assert.deepEqual(formOf(again), form, 'the same form again: same version and key');
    const changed = await zeebe.deployResource({
      form: Buffer.from(reviewForm('Remarks')),
      name: 'review.form',
    });
    assert.equal(formOf(changed).version, 2);

    await zeebe.createProcessInstance({ bpmnProcessId: 'review', variables: {} });
    const [job] = await zeebe.activateJobs({
      type: 'io.camunda.zeebe:userTask',
      worker: 'tasklist',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: 2_000,
    });
    assert.equal(job?.customHeaders['io.camunda.zeebe:formKey'], String(formOf(changed).formKey));
  });

  it('refuses a form without id, naming the resource', async () => {
    await assert.rejects(
      zeebe.deployResource({ form: Buffer.from('{"components":[]}'), name: 'approve.form' }),
      /3 INVALID_ARGUMENT.*'approve.form': Expected the form id to be present/,
    );
  });
});
