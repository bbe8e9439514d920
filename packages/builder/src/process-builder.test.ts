import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { createProcess, process as bpmnProcess } from './index.js';
import { assertFullyDrawn, element, extension, mappings, parseStrict } from './test-support.js';
import { everything, retryLoop } from './test-models.js';

describe('given a process using every element and option', () => {
  it('emits Camunda 8 definitions that bpmn-moddle re-parses without warnings', async () => {
    const xml = await everything().toXml();
    const parsed = await parseStrict(xml);

    assert.match(xml, /xmlns:zeebe="http:\/\/camunda.org\/schema\/zeebe\/1.0"/);
    assert.match(xml, /xmlns:modeler="http:\/\/camunda.org\/schema\/modeler\/1.0"/);
    assert.match(xml, /modeler:executionPlatform="Camunda Cloud"/);
    assert.match(xml, /modeler:executionPlatformVersion="8.5.0"/);
    assert.equal(parsed.process.id, 'everything');
    assert.equal(parsed.process.name, 'Every element');
    assert.equal(parsed.process.isExecutable, true);
    assert.match(xml, /<bpmn:process id="everything" name="Every element" isExecutable="true">/);
  });

  it('emits one BPMN element of the right type per builder call', async () => {
    const parsed = await parseStrict(await everything().toXml());
    const types = Object.fromEntries(
      [...parsed.elements].filter(([, e]) => e.$type !== 'bpmn:SequenceFlow').map(([id, e]) => [id, e.$type]),
    );
    assert.deepEqual(types, {
      start: 'bpmn:StartEvent',
      charge: 'bpmn:ServiceTask',
      paid: 'bpmn:ExclusiveGateway',
      fork: 'bpmn:ParallelGateway',
      discount: 'bpmn:ScriptTask',
      join: 'bpmn:ParallelGateway',
      pack: 'bpmn:ManualTask',
      ship: 'bpmn:ServiceTask',
      shipped: 'bpmn:EndEvent',
      small: 'bpmn:Task',
      EndEvent_1: 'bpmn:EndEvent',
      rejected: 'bpmn:EndEvent',
    });
    assert.equal(element(parsed, 'start').name, 'Order received');
    assert.equal(element(parsed, 'pack').name, 'Pack goods');
  });

  it('emits the job type, retries and headers of a service task', async () => {
    const parsed = await parseStrict(await everything().toXml());
    const charge = element(parsed, 'charge');
    const definition = extension(charge, 'zeebe:TaskDefinition');
    assert.equal(definition?.type, 'payment');
    assert.equal(definition?.retries, '5');
    const headers = extension(charge, 'zeebe:TaskHeaders')?.values as ModdleObject[];
    assert.deepEqual(
      headers.map((h) => [h.key, h.value]),
      [
        ['currency', 'EUR'],
        ['note', 'says "hi" <&>'],
      ],
    );
    const ship = extension(element(parsed, 'ship'), 'zeebe:TaskDefinition');
    assert.equal(ship?.type, '= "ship-" + region', 'a job type may be a FEEL expression');
    assert.equal(ship?.retries, '= retriesFor(region)', 'retries may be a FEEL expression');
    assert.equal(extension(element(parsed, 'ship'), 'zeebe:TaskHeaders'), undefined);
  });

  it('emits input and output mappings of service and script tasks', async () => {
    const parsed = await parseStrict(await everything().toXml());
    const charge = extension(element(parsed, 'charge'), 'zeebe:IoMapping');
    assert.deepEqual(mappings(charge?.inputParameters), [
      { source: '= order.total', target: 'amount' },
      { source: '= order.customer.id', target: 'customerId' },
    ]);
    assert.deepEqual(mappings(charge?.outputParameters), [{ source: '= receipt', target: 'receiptId' }]);
    const discount = extension(element(parsed, 'discount'), 'zeebe:IoMapping');
    assert.deepEqual(mappings(discount?.inputParameters), [{ source: '= amount', target: 'amount' }]);
    assert.deepEqual(mappings(discount?.outputParameters), [
      { source: '= discount', target: 'orderDiscount' },
    ]);
    assert.equal(extension(element(parsed, 'ship'), 'zeebe:IoMapping'), undefined, 'no empty ioMapping');
  });

  it('emits a FEEL script with its leading "=" and result variable', async () => {
    const xml = await everything().toXml();
    const script = extension(element(await parseStrict(xml), 'discount'), 'zeebe:Script');
    assert.equal(script?.expression, '=amount * 0.1');
    assert.equal(script?.resultVariable, 'discount');
    assert.match(xml, /<zeebe:script expression="=amount \* 0.1" resultVariable="discount" \/>/);
  });

  it('emits conditions as FEEL formal expressions and the default flow on the gateway', async () => {
    const xml = await everything().toXml();
    const parsed = await parseStrict(xml);
    const large = element(parsed, 'large-order');
    assert.equal(large.name, 'large');
    assert.equal((large.sourceRef as ModdleObject).id, 'paid');
    assert.equal((large.targetRef as ModdleObject).id, 'fork');
    const condition = large.conditionExpression as ModdleObject;
    assert.equal(condition.$type, 'bpmn:FormalExpression');
    assert.equal(condition.body, '= amount > 100');
    const small = element(parsed, 'Flow_paid_small').conditionExpression as ModdleObject;
    assert.equal(small.body, '=amount <= 100', 'the "=" is added to a bare condition');
    assert.match(
      xml,
      /<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 100<\/bpmn:conditionExpression>/,
    );
    const paid = element(parsed, 'paid');
    assert.equal((paid.default as ModdleObject).id, 'Flow_paid_rejected');
    assert.equal(element(parsed, 'Flow_paid_rejected').name, 'otherwise');
    assert.equal(element(parsed, 'Flow_paid_rejected').conditionExpression, undefined);
  });

  it('draws branches, a join and the flow after it, with incoming/outgoing on every node', async () => {
    const parsed = await parseStrict(await everything().toXml());
    const ends = (id: string) => {
      const flow = element(parsed, id);
      return [(flow.sourceRef as ModdleObject).id, (flow.targetRef as ModdleObject).id];
    };
    assert.deepEqual(ends('Flow_fork_discount'), ['fork', 'discount']);
    assert.deepEqual(ends('Flow_fork_pack'), ['fork', 'pack']);
    assert.deepEqual(ends('Flow_discount_join'), ['discount', 'join']);
    assert.deepEqual(ends('Flow_pack_join'), ['pack', 'join']);
    assert.deepEqual(ends('Flow_join_ship'), ['join', 'ship']);
    const ids = (refs: unknown) => ((refs as ModdleObject[] | undefined) ?? []).map((r) => r.id);
    assert.deepEqual(ids(element(parsed, 'join').incoming), ['Flow_discount_join', 'Flow_pack_join']);
    assert.deepEqual(ids(element(parsed, 'paid').outgoing), [
      'large-order',
      'Flow_paid_small',
      'Flow_paid_rejected',
    ]);
    assert.deepEqual(ids(element(parsed, 'start').incoming), []);
  });

  it('lays out every flow node and every sequence flow', async () => {
    assertFullyDrawn(await parseStrict(await everything().toXml()));
  });
});

describe('given a loop drawn with connectTo', () => {
  it('emits the flow back to the earlier element', async () => {
    const parsed = await parseStrict(await retryLoop().toXml());
    const back = element(parsed, 'Flow_count_attempt');
    assert.equal((back.targetRef as ModdleObject).id, 'attempt');
    assert.equal(
      element(parsed, 'StartEvent_1').$type,
      'bpmn:StartEvent',
      'an unnamed start event gets an id',
    );
    assertFullyDrawn(parsed);
  });
});

describe('a built process', () => {
  it('offers the same XML from the builder and from done()', async () => {
    assert.equal(await retryLoop().toXml(), await retryLoop().done().toXml());
  });

  it('is not changed by drawing on with its builder', async () => {
    const builder = createProcess('p').startEvent('s').endEvent('e');
    const built = builder.done();
    builder.moveToNode('s').endEvent('other');
    const parsed = await parseStrict(await built.toXml());
    assert.deepEqual([...parsed.elements.keys()], ['s', 'e', 'Flow_s_e']);
  });

  it('hands out a fresh moddle definitions tree from toDefinitions()', () => {
    const built = createProcess('p').startEvent('s').serviceTask('t', { type: 'work' }).done();
    const first = built.toDefinitions();
    assert.equal(first.$type, 'bpmn:Definitions');
    const process = (first.rootElements as ModdleObject[])[0];
    assert.equal(process.id, 'p');
    assert.deepEqual(
      (process.flowElements as ModdleObject[]).map((e) => e.id),
      ['s', 't', 'Flow_s_t'],
    );
    assert.notEqual(built.toDefinitions(), first);
  });

  it('emits semantic XML without a diagram on request', async () => {
    const xml = await createProcess('p').startEvent('s').done().toSemanticXml();
    assert.doesNotMatch(xml, /BPMNDiagram/);
    await parseStrict(xml);
  });

  it('is also reachable as process()', async () => {
    const built = bpmnProcess('alias').startEvent().done();
    assert.equal(built.id, 'alias');
  });
});
