// Edge cases of variable mappings, multi-instance, gateways and escalation, over the gateway with @camunda8/sdk,
// against Zeebe's documented outcomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chain,
  definitions,
  end,
  extensions,
  gateway,
  io,
  processOf,
  scriptTask,
  serviceTask,
  start,
  throwEvent,
} from './bpmn-xml.js';
import { scenarioHarness } from './scenario-harness.js';

const straight = (id: string, ...nodes: [string, string][]) =>
  definitions(
    processOf(
      id,
      [start(), ...nodes.map(([, xml]) => xml), end()],
      chain('start', ...nodes.map(([nodeId]) => nodeId), 'end'),
    ),
  );

describe('Zeebe edge cases over the gateway, with @camunda8/sdk', { timeout: 120_000 }, () => {
  const harness = scenarioHarness();
  const { deploy, run } = harness;

  it('an output mapping to a nested path sets that property and keeps the others', async () => {
    // The script's result variable is local to the task: with an output mapping, only the mapping leaves it.
    const pay = `<bpmn:scriptTask id="pay">${extensions(
      '<zeebe:script expression="=&quot;r-1&quot;" resultVariable="receipt"/>',
      io([], [['=receipt', 'payment.receiptId']]),
    )}</bpmn:scriptTask>`;
    await deploy(straight('conformance-nested-output', ['pay', pay]), 'nested-output.bpmn');
    assert.deepEqual(await run('conformance-nested-output', { payment: { amount: 5 } } as never), {
      payment: { amount: 5, receiptId: 'r-1' },
    });
  });

  it('multi-instance over an empty collection completes at once with an empty output collection', async () => {
    await deploy(
      straight('conformance-mi-empty', [
        'each',
        serviceTask(
          'each',
          'conformance-never-activated',
          [],
          '<bpmn:multiInstanceLoopCharacteristics>' +
            extensions(
              '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=item"/>',
            ) +
            '</bpmn:multiInstanceLoopCharacteristics>',
        ),
      ]),
      'mi-empty.bpmn',
    );
    assert.deepEqual(await run('conformance-mi-empty', { items: [] }), { items: [], results: [] });
  });

  it('multi-instance: loopCounter counts the inner instances from 1', async () => {
    await deploy(
      straight('conformance-mi-counter', [
        'each',
        scriptTask(
          'each',
          '=loopCounter * 100 + item',
          'r',
          '<bpmn:multiInstanceLoopCharacteristics isSequential="true">' +
            extensions(
              '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=loopCounter * 100 + item"/>',
            ) +
            '</bpmn:multiInstanceLoopCharacteristics>',
        ),
      ]),
      'mi-counter.bpmn',
    );
    const result = await run('conformance-mi-counter', { items: [7, 8] });
    assert.deepEqual(result.results, [107, 208]);
  });

  it('inclusive gateway: no condition holds, so the default flow is taken', async () => {
    await deploy(
      definitions(
        processOf(
          'conformance-inclusive-default',
          [
            start(),
            gateway('inclusive', 'fork', 'to-fallback'),
            scriptTask('big', '="big"', 'path'),
            scriptTask('fallback', '="fallback"', 'path'),
            end('end-big'),
            end('end-fallback'),
          ],
          [
            { from: 'start', to: 'fork' },
            { from: 'fork', to: 'big', when: '=x > 10' },
            { from: 'fork', to: 'fallback', id: 'to-fallback' },
            ...chain('big', 'end-big'),
            ...chain('fallback', 'end-fallback'),
          ],
        ),
      ),
      'inclusive-default.bpmn',
    );
    assert.deepEqual(await run('conformance-inclusive-default', { x: 1 }), { x: 1, path: 'fallback' });
  });

  it('an escalation that nothing catches does not stop the instance', async () => {
    await deploy(
      definitions(
        '<bpmn:escalation id="late" name="Late" escalationCode="LATE"/>',
        processOf(
          'conformance-uncaught-escalation',
          [
            start(),
            throwEvent('raise', '<bpmn:escalationEventDefinition escalationRef="late"/>'),
            scriptTask('after', '=true', 'continued'),
            end(),
          ],
          chain('start', 'raise', 'after', 'end'),
        ),
      ),
      'uncaught-escalation.bpmn',
    );
    assert.deepEqual(await run('conformance-uncaught-escalation'), { continued: true });
  });

  it('a call activity whose process id is an expression calls the process it names', async () => {
    await deploy(
      definitions(
        processOf(
          'conformance-dynamic-parent',
          [
            start(),
            `<bpmn:callActivity id="call">${extensions('<zeebe:calledElement processId="=child"/>')}</bpmn:callActivity>`,
            end(),
          ],
          chain('start', 'call', 'end'),
        ),
        processOf(
          'conformance-dynamic-child',
          [start('c-start'), scriptTask('c-work', '="called"', 'outcome'), end('c-end')],
          chain('c-start', 'c-work', 'c-end'),
        ),
      ),
      'dynamic-call.bpmn',
    );
    assert.deepEqual(await run('conformance-dynamic-parent', { child: 'conformance-dynamic-child' }), {
      child: 'conformance-dynamic-child',
      outcome: 'called',
    });
  });
});
