import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { ReadModel } from './read-model.js';
import { BACKENDS } from './test-support/backends.js';
import { settle } from './test-support/settle.js';
import { decisionInstanceKey } from './projections.js';

const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="shipping" name="Shipping" namespace="http://baton.dev/test">
  <decision id="zone" name="Zone"><literalExpression id="z"><text>if country = "DE" then "home" else "abroad"</text></literalExpression></decision>
  <decision id="fee" name="Fee">
    <informationRequirement id="r"><requiredDecision href="#zone"/></informationRequirement>
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="in" label="Zone"><inputExpression id="ie" typeRef="string"><text>zone</text></inputExpression></input>
      <output id="out" name="fee" typeRef="number"/>
      <rule id="home"><inputEntry id="h1"><text>"home"</text></inputEntry><outputEntry id="h2"><text>5</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

const bpmn = (id: string, task: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}-d" targetNamespace="t">
  <bpmn:error id="err" errorCode="NOPE"/>
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="s"/>${task}<bpmn:endEvent id="e"/><bpmn:endEvent id="caught-end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="task"/><bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;
const work = bpmn(
  'work',
  `<bpmn:serviceTask id="task"><bpmn:extensionElements><zeebe:taskDefinition type="work"/><zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:boundaryEvent id="b" attachedToRef="task"><bpmn:errorEventDefinition errorRef="err"/><bpmn:outgoing>f3</bpmn:outgoing></bpmn:boundaryEvent>
   <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="caught-end"/>`,
);
const approve = bpmn(
  'approve',
  '<bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>',
);

for (const backend of BACKENDS)
  describe(
    `read model: decisions, job details and user task updates (the /v2 searches)` + ` on ${backend.name}`,
    () => {
      let engine: Engine;
      let model: ReadModel;

      before(async () => {
        engine = await createEngine({ store: 'memory' });
        model = await ReadModel.attach(engine, backend.tables(':memory:'));
        await engine.deploy([
          { name: 'shipping.dmn', xml: dmn },
          { name: 'work.bpmn', xml: work },
          { name: 'approve.bpmn', xml: approve },
        ]);
      });
      after(async () => {
        await engine.close();
        await model.close();
      });

      it('keeps deployed decisions, their DRG with its XML, and every evaluated decision', async () => {
        const ok = await engine.evaluateDecision('fee', { country: 'DE' });
        const failed = await engine.evaluateDecision('fee', { country: 'FR' }, { failure: 'answer' });
        await engine.flush();
        await settle(engine);
        const definitions = await model.search('decisionDefinition', {
          sort: [{ field: 'decisionDefinitionId', order: 'ASC' }],
        });
        assert.deepEqual(
          definitions.items.map((d) => [d.decisionDefinitionId, d.name, d.version]),
          [
            ['fee', 'Fee', 1],
            ['zone', 'Zone', 1],
          ],
        );
        const drg = (await model.search('decisionRequirements', {})).items;
        assert.equal(drg.length, 1);
        assert.equal(drg[0]!.decisionRequirementsName, 'Shipping');
        assert.equal(await model.decisionRequirementsXml(drg[0]!.decisionRequirementsKey as string), dmn);
        assert.equal(await model.decisionDefinitionXml(ok.decisionKey), dmn);
        await assert.rejects(
          () => model.decisionDefinitionXml('123'),
          /No decision definition with key '123'/,
        );

        const instances = (await model.search('decisionInstance', {})).items;
        assert.deepEqual(
          instances.map((d) => [d.decisionEvaluationInstanceKey, d.decisionDefinitionId, d.state, d.result]),
          [
            [decisionInstanceKey(ok.decisionEvaluationKey, 1), 'zone', 'EVALUATED', '"home"'],
            [decisionInstanceKey(ok.decisionEvaluationKey, 2), 'fee', 'EVALUATED', '5'],
            [decisionInstanceKey(failed.decisionEvaluationKey, 1), 'zone', 'EVALUATED', '"abroad"'],
            [decisionInstanceKey(failed.decisionEvaluationKey, 2), 'fee', 'FAILED', 'null'],
          ],
        );
        const failure = instances[3]!;
        assert.equal(failure.decisionDefinitionKey, ok.decisionKey);
        assert.match(failure.evaluationFailure as string, /UNIQUE/);
        const fee = JSON.parse(instances[1]!.matchedRules as string) as { ruleId: string }[];
        assert.equal(fee[0]!.ruleId, 'home');
      });

      it('keeps what the job search shows: definition, headers, error code, end time, a new deadline', async () => {
        const caught = await engine.createInstance('work');
        const updated = await engine.createInstance('work');
        const jobs = await engine.activateJobs({
          type: 'work',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 2,
        });
        const byInstance = new Map(jobs.map((j) => [j.processInstanceKey, j]));
        await engine.throwError(byInstance.get(caught.processInstanceKey)!.key, { errorCode: 'NOPE' });
        await engine.updateJobTimeout(byInstance.get(updated.processInstanceKey)!.key, 600_000);
        await engine.flush();
        await settle(engine);
        const rows = (await model.search('job', { sort: [{ field: 'jobKey', order: 'ASC' }] })).items;
        const thrown = rows.find((j) => j.processInstanceKey === caught.processInstanceKey)!;
        assert.equal(
          thrown.state,
          'ERROR_THROWN',
          'the cancellation of the caught job does not hide the error',
        );
        assert.equal(thrown.errorCode, 'NOPE');
        assert.equal(typeof thrown.endTime, 'number');
        assert.equal(thrown.customHeaders, '{"k":"v"}');
        assert.equal(thrown.processDefinitionId, 'work');
        const waiting = rows.find((j) => j.processInstanceKey === updated.processInstanceKey)!;
        assert.equal(waiting.state, 'CREATED');
        assert.equal(waiting.endTime, null);
        assert.ok((waiting.deadline as number) > Date.now() + 500_000, 'the updated deadline');
      });

      it('applies user task updates', async () => {
        await engine.createInstance('approve');
        const [task] = engine.userTasks();
        await engine.updateUserTask(task!.key, {
          dueDate: '2031-03-04T05:06:07Z',
          candidateGroups: ['ops'],
          priority: 10,
        });
        await engine.flush();
        await settle(engine);
        const [row] = (
          await model.search('userTask', {
            conditions: [{ field: 'userTaskKey', op: '$eq', value: task!.key }],
          })
        ).items;
        assert.equal(row!.dueDate, Date.parse('2031-03-04T05:06:07Z'));
        assert.equal(row!.candidateGroups, '["ops"]');
        assert.equal(row!.priority, 10);
        const due = await model.search('userTask', {
          conditions: [{ field: 'dueDate', op: '$gt', value: '2031-01-01T00:00:00Z' }],
        });
        assert.equal(due.total, 1);
      });
    },
  );
