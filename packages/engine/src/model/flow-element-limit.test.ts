import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBpmn } from './parse-bpmn.js';
import { countFlowElementTags } from './flow-element-limit.js';

const head =
  '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">';
const wrap = (body: string) => `${head}\n${body}\n</bpmn:definitions>`;

/** start → t1 … tN → end, plain tasks: 2N + 3 flow elements. */
function chain(n: number): string {
  const parts = ['<bpmn:startEvent id="s"/>', '<bpmn:endEvent id="e"/>'];
  for (let i = 1; i <= n; i++) parts.push(`<bpmn:task id="t${i}"/>`);
  for (let i = 0; i <= n; i++)
    parts.push(
      `<bpmn:sequenceFlow id="f${i}" sourceRef="${i === 0 ? 's' : `t${i}`}" targetRef="${i === n ? 'e' : `t${i + 1}`}"/>`,
    );
  return wrap(`<bpmn:process id="chain" isExecutable="true">${parts.join('')}</bpmn:process>`);
}

/** start → inclusive split → N tasks → inclusive join → end: 3N + 6 flow elements. */
function inclusiveFork(n: number): string {
  const parts = [
    '<bpmn:startEvent id="s"/>',
    '<bpmn:inclusiveGateway id="split"/>',
    '<bpmn:inclusiveGateway id="join"/>',
    '<bpmn:endEvent id="e"/>',
    '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="split"/>',
    '<bpmn:sequenceFlow id="fEnd" sourceRef="join" targetRef="e"/>',
  ];
  for (let i = 1; i <= n; i++)
    parts.push(
      `<bpmn:task id="t${i}"/>`,
      `<bpmn:sequenceFlow id="a${i}" sourceRef="split" targetRef="t${i}"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      `<bpmn:sequenceFlow id="b${i}" sourceRef="t${i}" targetRef="join"/>`,
    );
  return wrap(`<bpmn:process id="fork" isExecutable="true">${parts.join('')}</bpmn:process>`);
}

describe('flow elements per resource (issue 14)', () => {
  it('counts flow element tags as the parser reads them, skipping comments, CDATA and the diagram', () => {
    assert.equal(countFlowElementTags(chain(10)), 23);
    assert.equal(countFlowElementTags(inclusiveFork(10)), 36);
    const noise =
      wrap(`<!-- <bpmn:task id="x"/> --><bpmn:process id="p"><bpmn:task id="a"><bpmn:documentation><![CDATA[<bpmn:task id="y"/>]]></bpmn:documentation></bpmn:task>
      <task id="b" /><bpmn:taskX id="c"/></bpmn:process><bpmndi:BPMNShape id="a_di" bpmnElement="a"/>`);
    assert.equal(countFlowElementTags(noise), 2);
    assert.equal(countFlowElementTags('<bpmn:task'), 1);
  });

  it('refuses a resource past the limit before parsing it, naming the resource, the count and the limit', async () => {
    const result = await parseBpmn('chain.bpmn', chain(10), { maxFlowElements: 22 });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && 'limitExceeded' in result);
    assert.deepEqual(result.limitExceeded, { flowElements: 23, limit: 22 });
    assert.match(result.message, /resource 'chain\.bpmn' to have at most 22 flow elements .* but it has 23/);
    assert.ok((await parseBpmn('chain.bpmn', chain(10), { maxFlowElements: 23 })).ok);
  });

  it('refuses by default a resource with more than 20,000 flow elements', async () => {
    const result = await parseBpmn('chain.bpmn', chain(10_000));
    assert.ok(!result.ok);
    assert.match(result.message, /at most 20000 flow elements .* but it has 20003/);
  });

  it('validates and compiles in linear time: a 5,000-task chain and a 3,000-branch inclusive fork', async () => {
    // Before: the chain took ~30 s (every rule scanned every element), the fork about as long.
    for (const [xml, bound] of [
      [chain(5_000), 10_000],
      [inclusiveFork(3_000), 10_000],
    ] as const) {
      const started = performance.now();
      const result = await parseBpmn('big.bpmn', xml);
      const took = performance.now() - started;
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.ok(took < bound, `took ${Math.round(took)} ms`);
    }
  });

  it('refuses inclusive joins whose upstream lists would grow past their bound, naming the gateway', async () => {
    // 300 branches after a 1,000-task chain: each branch's upstream holds the chain (300 × 1,002 entries).
    const branches: string[] = [];
    for (let i = 1; i <= 300; i++)
      branches.push(
        `<bpmn:task id="b${i}"/><bpmn:sequenceFlow id="x${i}" sourceRef="split" targetRef="b${i}"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow><bpmn:sequenceFlow id="y${i}" sourceRef="b${i}" targetRef="join"/>`,
      );
    const prefix: string[] = ['<bpmn:startEvent id="s"/>'];
    for (let i = 1; i <= 1_000; i++)
      prefix.push(
        `<bpmn:task id="c${i}"/><bpmn:sequenceFlow id="p${i}" sourceRef="${i === 1 ? 's' : `c${i - 1}`}" targetRef="c${i}"/>`,
      );
    const xml = wrap(`<bpmn:process id="wide" isExecutable="true">${prefix.join('')}
      <bpmn:sequenceFlow id="toSplit" sourceRef="c1000" targetRef="split"/>
      <bpmn:inclusiveGateway id="split"/>${branches.join('')}<bpmn:inclusiveGateway id="join"/>
      <bpmn:endEvent id="e"/><bpmn:sequenceFlow id="fEnd" sourceRef="join" targetRef="e"/></bpmn:process>`);
    const result = await parseBpmn('wide.bpmn', xml);
    assert.ok(!result.ok);
    assert.match(
      result.message,
      /element 'join': the inclusive joins of this process would track more than 250000/,
    );
  });
});
