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
});
