import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBpmn } from './parse-bpmn.js';

const head =
  '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">';
const wrap = (body: string) => `${head}\n${body}\n</bpmn:definitions>`;

async function problems(xml: string): Promise<string> {
  const result = await parseBpmn('test.bpmn', xml);
  assert.equal(result.ok, false, 'expected the model to be refused');
  return result.ok ? '' : result.message;
}

describe('parseBpmn', () => {
  it('compiles a valid process into an executable graph', async () => {
    const result = await parseBpmn(
      'ok.bpmn',
      wrap(`<bpmn:process id="p" name="P" isExecutable="true">
        <bpmn:startEvent id="s"/><bpmn:scriptTask id="t"><bpmn:extensionElements><zeebe:script expression="=1+1" resultVariable="r"/></bpmn:extensionElements></bpmn:scriptTask>
        <bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
      </bpmn:process>`),
    );
    assert.ok(result.ok);
    const [process] = result.value;
    assert.equal(process!.bpmnProcessId, 'p');
    assert.equal(process!.elements.p!.noneStartEventId, 's');
    assert.deepEqual(process!.elements.s!.outgoing, ['f1']);
    assert.deepEqual(process!.elements.t!.script, { expression: '1+1', resultVariable: 'r' });
    assert.equal(process!.flows.f2!.targetId, 'e');
  });

  it('names the line of malformed XML', async () => {
    assert.match(
      await problems(`${head}\n<bpmn:process id="p">\n<bpmn:startEvent id="s">\n</bpmn:definitions>`),
      /line \d+/,
    );
  });

  it('names unsupported and unknown elements', async () => {
    const message = await problems(
      wrap(
        '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:complexGateway id="u"/><bpmn:blob id="b"/></bpmn:process>',
      ),
    );
    assert.match(message, /element 'u': element type 'bpmn:ComplexGateway' is not supported/);
    assert.match(message, /blob/);
  });

  it('requires exactly one none start event and conditions on exclusive branches', async () => {
    assert.match(
      await problems(wrap('<bpmn:process id="p" isExecutable="true"><bpmn:endEvent id="e"/></bpmn:process>')),
      /element 'p': the process must have at least one start event/,
    );
    assert.match(
      await problems(
        wrap(`<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>
        <bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
        <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g"/><bpmn:sequenceFlow id="fa" sourceRef="g" targetRef="a"/>
        <bpmn:sequenceFlow id="fb" sourceRef="g" targetRef="b"/></bpmn:process>`),
      ),
      /element 'fa': a flow leaving exclusive gateway 'g' must have a condition or be the default flow/,
    );
  });

  it('reports FEEL syntax errors with the element and the expression', async () => {
    const message = await problems(
      wrap(`<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>
      <bpmn:serviceTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="x"/>
      <zeebe:ioMapping><zeebe:input source="=a +" target="b"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/></bpmn:process>`),
    );
    assert.match(message, /element 't': the input mapping 'b' expression 'a \+' is invalid: syntax error/);
  });

  it('refuses a resource without an executable process', async () => {
    assert.match(
      await problems(wrap('<bpmn:process id="p" isExecutable="false"/>')),
      /no executable process/,
    );
  });

  describe('diagram interchange and artifacts do not refuse a model (issue 13)', () => {
    const di = (body: string, plane = 'p') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="t">
<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/></bpmn:process>
<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="${plane}">${body}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

    it('a plane, shape or edge pointing to a renamed element is a warning naming it', async () => {
      const result = await parseBpmn(
        'renamed.bpmn',
        di(
          `<bpmndi:BPMNShape id="S" bpmnElement="old_task"><dc:Bounds x="1" y="1" width="1" height="1"/></bpmndi:BPMNShape>
          <bpmndi:BPMNEdge id="E" bpmnElement="old_flow"><di:waypoint x="1" y="1"/><di:waypoint x="2" y="2"/></bpmndi:BPMNEdge>`,
          'renamed_process',
        ),
      );
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.value[0]!.bpmnProcessId, 'p');
      assert.equal(result.modelWarnings.length, 3);
      assert.match(
        result.modelWarnings[0]!,
        /^'renamed.bpmn', element 'P': unresolved reference <renamed_process>/,
      );
      assert.ok(result.modelWarnings.some((w) => /element 'S': unresolved reference <old_task>/.test(w)));
      assert.ok(result.modelWarnings.some((w) => /element 'E': unresolved reference <old_flow>/.test(w)));
    });

    it('an unknown attribute or element in diagram interchange is a warning', async () => {
      const result = await parseBpmn(
        'odd-di.bpmn',
        di(
          '<bpmndi:BPMNShape id="S" bpmnElement="s" fancy="yes"><dc:Bounds x="1" y="1" width="1" height="1"/><bpmndi:Sparkle/></bpmndi:BPMNShape>',
        ),
      );
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.modelWarnings.length, 2);
      assert.match(result.modelWarnings.join('\n'), /unknown attribute <fancy>/);
      assert.match(result.modelWarnings.join('\n'), /unknown type <bpmndi:Sparkle>/);
    });

    it('an association, lane, data store or data association pointing to a missing element is a warning', async () => {
      const result = await parseBpmn(
        'artifacts.bpmn',
        wrap(`<bpmn:process id="p" isExecutable="true"><bpmn:laneSet id="ls"><bpmn:lane id="l"><bpmn:flowNodeRef>gone</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        <bpmn:startEvent id="s"/><bpmn:textAnnotation id="note"/><bpmn:association id="a" sourceRef="s" targetRef="gone_note"/>
        <bpmn:dataStoreReference id="ds" dataStoreRef="deleted_store"/>
        <bpmn:task id="t"><bpmn:dataInputAssociation id="dia"><bpmn:sourceRef>deleted_object</bpmn:sourceRef></bpmn:dataInputAssociation></bpmn:task>
        <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/></bpmn:process>`),
      );
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.modelWarnings.length, 4);
    });

    it('a broken reference in the semantic model still refuses it, naming the element', async () => {
      const message = await problems(
        wrap(`<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="missing_end"/></bpmn:process>`),
      );
      assert.match(message, /element 'f': unresolved reference <missing_end>/);
    });
  });

  it('reads a model whose declaration names another encoding than UTF-8 (issue 13)', async () => {
    for (const encoding of ['ISO-8859-1', 'windows-1252', 'US-ASCII', 'UTF-16']) {
      const result = await parseBpmn(
        'latin.bpmn',
        wrap(
          '<bpmn:process id="p" name="Prüfung" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>',
        ).replace('<?xml version="1.0"?>', `<?xml version="1.0" encoding="${encoding}"?>`),
      );
      assert.ok(result.ok, result.ok ? '' : `${encoding}: ${result.message}`);
      assert.equal(result.value[0]!.name, 'Prüfung');
      assert.deepEqual(result.modelWarnings, []);
    }
  });
});
