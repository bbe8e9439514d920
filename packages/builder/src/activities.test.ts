// Tasks, call activities, sub-processes, multi-instance and the conditional gateways: the XML re-parses
// with the zeebe descriptor without warnings and carries the extension values the engine reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { createProcess } from './index.js';
import type { FlowBuilder, ProcessBuilder } from './index.js';
import {
  assertFullyDrawn,
  element,
  eventDefinition,
  extension,
  mappings,
  parseStrict,
  rootElement,
  throwsBuilderError,
} from './test-support.js';
import type { ParsedXml } from './test-support.js';

async function parsed(builder: ProcessBuilder): Promise<ParsedXml> {
  const result = await parseStrict(await builder.toXml());
  assertFullyDrawn(result);
  return result;
}

const ref = (value: unknown) => (value as ModdleObject | undefined)?.id;
const ids = (list: unknown) => ((list as ModdleObject[] | undefined) ?? []).map((e) => e.id);

describe('tasks', () => {
  it('emits a receive task with its message and correlation key', async () => {
    const xml = await parsed(
      createProcess('receive')
        .startEvent('s')
        .receiveTask('wait', {
          message: { name: 'arrived', correlationKey: '= sku' },
          outputs: [{ source: '= qty', target: 'received' }],
        })
        .endEvent('e'),
    );
    const wait = element(xml, 'wait');
    assert.equal(wait.$type, 'bpmn:ReceiveTask');
    assert.equal(ref(wait.messageRef), 'Message_arrived');
    assert.equal(
      extension(rootElement(xml, 'Message_arrived'), 'zeebe:Subscription')?.correlationKey,
      '= sku',
    );
    assert.deepEqual(mappings(extension(wait, 'zeebe:IoMapping')?.outputParameters), [
      { source: '= qty', target: 'received' },
    ]);
  });

  it('emits a send task as a job', async () => {
    const xml = await parsed(
      createProcess('send')
        .startEvent('s')
        .sendTask('mail', { type: 'mail', retries: '= 1 + 1' })
        .endEvent('e'),
    );
    const mail = element(xml, 'mail');
    assert.equal(mail.$type, 'bpmn:SendTask');
    assert.equal(extension(mail, 'zeebe:TaskDefinition')?.type, 'mail');
    assert.equal(extension(mail, 'zeebe:TaskDefinition')?.retries, '= 1 + 1');
  });

  it('emits a Camunda user task with assignment, schedule, form and priority', async () => {
    const xml = await parsed(
      createProcess('users')
        .startEvent('s')
        .userTask('approve', {
          name: 'Approve',
          assignee: '= manager',
          candidateGroups: ['finance', 'managers'],
          candidateUsers: '= reviewers',
          dueDate: '= due',
          followUpDate: '2030-01-01T09:00:00Z',
          formId: 'approval-form',
          priority: 80,
        })
        .userTask('legacy', {
          jobWorker: true,
          formKey: 'camunda-forms:bpmn:form_1',
          candidateGroups: 'clerks',
        })
        .userTask('plain')
        .endEvent('e'),
    );
    const approve = element(xml, 'approve');
    assert.ok(extension(approve, 'zeebe:UserTask'), 'a Camunda user task');
    const assignment = extension(approve, 'zeebe:AssignmentDefinition');
    assert.equal(assignment?.assignee, '= manager');
    assert.equal(assignment?.candidateGroups, 'finance, managers');
    assert.equal(assignment?.candidateUsers, '= reviewers');
    const schedule = extension(approve, 'zeebe:TaskSchedule');
    assert.equal(schedule?.dueDate, '= due');
    assert.equal(schedule?.followUpDate, '2030-01-01T09:00:00Z');
    assert.equal(extension(approve, 'zeebe:FormDefinition')?.formId, 'approval-form');
    assert.equal(extension(approve, 'zeebe:PriorityDefinition')?.priority, '80');
    const legacy = element(xml, 'legacy');
    assert.equal(extension(legacy, 'zeebe:UserTask'), undefined, 'job-based: no zeebe:userTask');
    assert.equal(extension(legacy, 'zeebe:FormDefinition')?.formKey, 'camunda-forms:bpmn:form_1');
    assert.equal(extension(legacy, 'zeebe:AssignmentDefinition')?.candidateGroups, 'clerks');
    const plain = element(xml, 'plain');
    assert.deepEqual(
      ((plain.extensionElements as ModdleObject).values as ModdleObject[]).map((v) => v.$type),
      ['zeebe:UserTask'],
    );
  });

  it('emits a call activity with zeebe:calledElement and its propagation flags', async () => {
    const xml = await parsed(
      createProcess('caller')
        .startEvent('s')
        .callActivity('call', {
          processId: 'child',
          propagateAllChildVariables: false,
          propagateAllParentVariables: true,
          bindingType: 'deployment',
          inputs: [{ source: '= n', target: 'n' }],
        })
        .callActivity('dynamic', { processId: '= childId' })
        .endEvent('e'),
    );
    const called = extension(element(xml, 'call'), 'zeebe:CalledElement');
    assert.equal(called?.processId, 'child');
    assert.equal(called?.propagateAllChildVariables, false);
    assert.equal(called?.propagateAllParentVariables, true);
    assert.equal(called?.bindingType, 'deployment');
    const dynamic = extension(element(xml, 'dynamic'), 'zeebe:CalledElement');
    assert.equal(dynamic?.processId, '= childId');
    assert.equal(dynamic?.propagateAllChildVariables, undefined, "Zeebe's defaults are left out");
  });

  it('emits a process version tag and a call activity bound to one', async () => {
    const xml = await parsed(
      createProcess('tagged', { versionTag: 'v2.1' })
        .startEvent('s')
        .callActivity('call', { processId: 'child', bindingType: 'versionTag', versionTag: 'v1' })
        .endEvent('e'),
    );
    assert.equal(extension(rootElement(xml, 'tagged'), 'zeebe:VersionTag')?.value, 'v2.1');
    const called = extension(element(xml, 'call'), 'zeebe:CalledElement');
    assert.equal(called?.bindingType, 'versionTag');
    assert.equal(called?.versionTag, 'v1');
    throwsBuilderError(
      () =>
        createProcess('p')
          .startEvent('s')
          .callActivity('call', { processId: 'c', bindingType: 'versionTag' }),
      'call',
      /version tag of binding type 'versionTag' of 'call' must be a non-empty string/,
    );
  });

  it('emits a business rule task for a DMN decision or a job', async () => {
    const xml = await parsed(
      createProcess('rules')
        .startEvent('s')
        .businessRuleTask('decide', { decisionId: 'discount', resultVariable: 'discount' })
        .businessRuleTask('remote', { type: 'rules' })
        .endEvent('e'),
    );
    const decision = extension(element(xml, 'decide'), 'zeebe:CalledDecision');
    assert.equal(decision?.decisionId, 'discount');
    assert.equal(decision?.resultVariable, 'discount');
    assert.equal(extension(element(xml, 'remote'), 'zeebe:TaskDefinition')?.type, 'rules');
  });
});

describe('multi-instance', () => {
  it('emits loop characteristics with collections, sequential flag and completion condition', async () => {
    const xml = await parsed(
      createProcess('loops')
        .startEvent('s')
        .serviceTask('each', {
          type: 'work',
          multiInstance: {
            inputCollection: 'items',
            inputElement: 'item',
            outputCollection: 'results',
            outputElement: 'result',
            sequential: true,
            completionCondition: 'count(results) > 2',
          },
        })
        .userTask('approve-each', {
          multiInstance: { inputCollection: '= approvers', inputElement: 'approver' },
        })
        .endEvent('e'),
    );
    const loop = element(xml, 'each').loopCharacteristics as ModdleObject;
    assert.equal(loop.$type, 'bpmn:MultiInstanceLoopCharacteristics');
    assert.equal(loop.isSequential, true);
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    assert.equal(zeebe?.inputCollection, '=items', 'the "=" is added');
    assert.equal(zeebe?.inputElement, 'item');
    assert.equal(zeebe?.outputCollection, 'results');
    assert.equal(zeebe?.outputElement, '=result');
    assert.equal((loop.completionCondition as ModdleObject).body, '=count(results) > 2');
    const parallel = element(xml, 'approve-each').loopCharacteristics as ModdleObject;
    assert.equal(parallel.isSequential, false);
    assert.equal(parallel.completionCondition, undefined);
    assert.equal(extension(parallel, 'zeebe:LoopCharacteristics')?.outputCollection, undefined);
  });
});

describe('gateways', () => {
  it('emits an inclusive gateway with conditions and a default flow', async () => {
    const xml = await parsed(
      createProcess('or')
        .startEvent('s')
        .inclusiveGateway('fork')
        .condition('= a')
        .task('ta')
        .inclusiveGateway('join')
        .endEvent('e')
        .moveToNode('fork')
        .condition('b')
        .task('tb')
        .connectTo('join')
        .moveToNode('fork')
        .defaultFlow({ name: 'neither' })
        .task('tc')
        .connectTo('join'),
    );
    const fork = element(xml, 'fork');
    assert.equal(fork.$type, 'bpmn:InclusiveGateway');
    assert.equal(ref(fork.default), 'Flow_fork_tc');
    assert.equal((element(xml, 'Flow_fork_tb').conditionExpression as ModdleObject).body, '=b');
    assert.deepEqual(ids(element(xml, 'join').incoming), ['Flow_ta_join', 'Flow_tb_join', 'Flow_tc_join']);
  });

  it('emits an event-based gateway leading to catch events and a receive task', async () => {
    const xml = await parsed(
      createProcess('race')
        .startEvent('s')
        .eventBasedGateway('first')
        .intermediateCatchEvent('answer', { message: { name: 'answer', correlationKey: '= id' } })
        .endEvent('e1')
        .moveToNode('first')
        .intermediateCatchEvent('timeout', { timer: { duration: 'PT1H' } })
        .endEvent('e2')
        .moveToNode('first')
        .receiveTask('letter', { message: { name: 'letter', correlationKey: '= id' } })
        .endEvent('e3'),
    );
    assert.equal(element(xml, 'first').$type, 'bpmn:EventBasedGateway');
    assert.deepEqual(
      ((element(xml, 'first').outgoing as ModdleObject[]) ?? []).map((f) => ref(f.targetRef)),
      ['answer', 'timeout', 'letter'],
    );
  });
});

describe('sub-processes', () => {
  it('nests an embedded sub-process with its own flow, boundary events and io mapping', async () => {
    const xml = await parsed(
      createProcess('outer')
        .startEvent('s')
        .subProcess('inner', { name: 'Inner', inputs: [{ source: '= a', target: 'b' }] }, (sub) =>
          sub
            .startEvent('is')
            .subProcess('deeper', (deep) => deep.startEvent('ds').task('dt').endEvent('de'))
            .endEvent('ie'),
        )
        .boundaryEvent('inner-late', { timer: { duration: 'PT1M' } })
        .endEvent('late')
        .moveToNode('inner')
        .endEvent('e'),
    );
    const inner = element(xml, 'inner');
    assert.equal(inner.$type, 'bpmn:SubProcess');
    assert.equal(inner.triggeredByEvent, false);
    assert.deepEqual(ids(inner.flowElements), ['is', 'deeper', 'ie', 'Flow_is_deeper', 'Flow_deeper_ie']);
    assert.deepEqual(ids(element(xml, 'deeper').flowElements), [
      'ds',
      'dt',
      'de',
      'Flow_ds_dt',
      'Flow_dt_de',
    ]);
    assert.deepEqual(mappings(extension(inner, 'zeebe:IoMapping')?.inputParameters), [
      { source: '= a', target: 'b' },
    ]);
    assert.deepEqual(ids(xml.process.flowElements).slice(0, 5), ['s', 'inner', 'inner-late', 'late', 'e']);
  });

  it('adds an event sub-process beside the flow without moving on from the current element', async () => {
    const xml = await parsed(
      createProcess('with-events')
        .startEvent('s')
        .eventSubProcess('on-error', (sub) => sub.startEvent('caught', { error: true }).endEvent('handled'))
        .eventSubProcess('on-tick', { name: 'Tick' }, (sub) =>
          sub.startEvent('tick', { timer: { duration: 'PT1M' }, interrupting: false }).endEvent('ticked'),
        )
        .endEvent('e'),
    );
    const onError = element(xml, 'on-error');
    assert.equal(onError.triggeredByEvent, true);
    assert.equal(onError.incoming, undefined);
    assert.equal(eventDefinition(xml, 'caught').$type, 'bpmn:ErrorEventDefinition');
    assert.equal(element(xml, 'caught').isInterrupting, true);
    assert.equal(element(xml, 'tick').isInterrupting, false);
    assert.equal(element(xml, 'on-tick').name, 'Tick');
    assert.deepEqual(ids(element(xml, 's').outgoing), ['Flow_s_e'], 'the flow goes on from the start event');
  });

  it('keeps a built process unchanged when a kept sub-process builder draws on', async () => {
    let kept: FlowBuilder | undefined;
    const builder = createProcess('p')
      .startEvent('s')
      .subProcess('sub', (sub) => {
        kept = sub.startEvent('ss').endEvent('se');
      })
      .endEvent('e');
    const built = builder.done();
    kept!.moveToNode('ss').endEvent('late-addition');
    const xml = await parseStrict(await built.toXml());
    assert.equal(xml.elements.has('late-addition'), false);
  });
});

describe('ad-hoc sub-processes', () => {
  it('emits the activatable elements, zeebe:adHoc, the completion condition and cancelRemainingInstances', async () => {
    const xml = await parsed(
      createProcess('agent')
        .startEvent('s')
        .adHocSubProcess(
          'tools',
          {
            activeElementsCollection: 'toolsToCall',
            completionCondition: '= done',
            cancelRemainingInstances: false,
            outputCollection: 'results',
            outputElement: '= result',
          },
          (tools) =>
            tools
              .serviceTask('search', { type: 'search' })
              .serviceTask('summarise', { type: 'summarise' })
              .newPath()
              .userTask('ask'),
        )
        .endEvent('e'),
    );
    const tools = element(xml, 'tools');
    assert.equal(tools.$type, 'bpmn:AdHocSubProcess');
    assert.equal(tools.cancelRemainingInstances, false);
    assert.equal((tools.completionCondition as ModdleObject).body, '= done');
    const adHoc = extension(tools, 'zeebe:AdHoc')!;
    assert.equal(adHoc.activeElementsCollection, '=toolsToCall');
    assert.equal(adHoc.outputCollection, 'results');
    assert.equal(adHoc.outputElement, '= result');
    assert.deepEqual(ids(tools.flowElements).sort(), ['Flow_search_summarise', 'ask', 'search', 'summarise']);
    assert.deepEqual(ids(element(xml, 'ask').incoming), []);
  });

  it('emits the job worker implementation as a zeebe:taskDefinition on the sub-process', async () => {
    const xml = await parsed(
      createProcess('agent')
        .startEvent('s')
        .adHocSubProcess('tools', { jobWorker: { type: 'agent', retries: 2 } }, (tools) => tools.task('a'))
        .endEvent('e'),
    );
    const definition = extension(element(xml, 'tools'), 'zeebe:TaskDefinition')!;
    assert.equal(definition.type, 'agent');
    assert.equal(definition.retries, '2');
    throwsBuilderError(
      () =>
        createProcess('p')
          .startEvent('s')
          .adHocSubProcess('tools', { jobWorker: { type: 'agent' }, completionCondition: 'done' }, (t) =>
            t.task('a'),
          ),
      'tools',
      /lets the worker decide/,
    );
  });

  it('refuses start and end events inside, and an empty ad-hoc sub-process', () => {
    throwsBuilderError(
      () =>
        createProcess('p')
          .startEvent('s')
          .adHocSubProcess('tools', (t) => t.startEvent('inner').task('a'))
          .endEvent('e')
          .done(),
      'tools',
      /must not contain start or end events \(found 'inner'\)/,
    );
    throwsBuilderError(
      () =>
        createProcess('p')
          .startEvent('s')
          .adHocSubProcess('tools', () => undefined)
          .endEvent('e')
          .done(),
      'tools',
      /must have at least one activity/,
    );
  });
});
