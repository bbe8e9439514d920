import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { BatonError } from './errors.js';
import { createTestEngine, expectInstance } from './testing/index.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { threeTasks } from './test-support/models.js';
import {
  boundary,
  catchEvent,
  chain,
  end,
  eventGateway,
  flow,
  ioMapping,
  model,
  multiTask,
  serviceTask,
  start,
  subProcess,
} from './test-support/event-models.js';
import { stateOf } from './internal.js';

/** s → a → sp[ sps → inner[ is → x → y → ie ] → spe ] → e, with input mappings on both sub-processes. */
function nested(): string {
  return model('nested', [
    start('s'),
    serviceTask('a', 'a'),
    {
      xml: `<bpmn:subProcess id="sp">${ioMapping('spVar="outer"', '')}${[
        start('sps'),
        {
          xml: `<bpmn:subProcess id="inner">${ioMapping('innerVar="inner"', '')}${[
            start('is'),
            serviceTask('x', 'x'),
            serviceTask('y', 'y'),
            end('ie'),
            ...chain('is', 'x', 'y', 'ie'),
          ]
            .map((p) => p.xml)
            .join('')}</bpmn:subProcess>`,
        },
        end('spe'),
        ...chain('sps', 'inner', 'spe'),
      ]
        .map((p) => p.xml)
        .join('')}</bpmn:subProcess>`,
    },
    end('e'),
    ...chain('s', 'a', 'sp', 'e'),
  ]);
}

describe('start instructions on process instance creation', () => {
  it('starts before a task instead of at the none start event, with the variables on the process', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(threeTasks());
    const instance = await engine.createInstance(
      'three-tasks',
      { order: 7 },
      { startInstructions: [{ elementId: 'b' }] },
    );
    const b = await activateOne(engine, 'task-b');
    assert.deepEqual({ ...b.variables }, { order: 7 });
    await engine.completeJob(b.key);
    await engine.completeJob((await activateOne(engine, 'task-c')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const path = trail(records, instance.processInstanceKey);
    assert.deepEqual(path.slice(0, 4), [
      'three-tasks:ELEMENT_ACTIVATING',
      'three-tasks:ELEMENT_ACTIVATED',
      'b:ELEMENT_ACTIVATING',
      'b:ELEMENT_ACTIVATED',
    ]);
    assert.ok(!path.some((p) => p.startsWith('start:') || p.startsWith('a:')), 'no start event, no a');
    // The variables exist before the process is activated (Zeebe sets them first).
    const variable = records.findIndex((r) => r.valueType === 'VARIABLE' && r.intent === 'CREATED');
    const activating = records.findIndex(
      (r) => r.valueType === 'PROCESS_INSTANCE' && r.intent === 'ELEMENT_ACTIVATING',
    );
    assert.ok(variable >= 0 && variable < activating);
    await engine.close();
  });

  it('starts before two elements: two tokens, and the instance completes when both are done', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(threeTasks());
    const instance = await engine.createInstance(
      'three-tasks',
      {},
      { startInstructions: [{ elementId: 'a' }, { elementId: 'c' }] },
    );
    const c = await activateOne(engine, 'task-c');
    await engine.completeJob(c.key);
    await engine.completeJob((await activateOne(engine, 'task-a')).key);
    await engine.completeJob((await activateOne(engine, 'task-b')).key);
    assert.ok(!completed(records, instance.processInstanceKey), 'the token from a still runs');
    await engine.completeJob((await activateOne(engine, 'task-c')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const ends = trail(records, instance.processInstanceKey).filter((p) => p === 'end:ELEMENT_COMPLETED');
    assert.equal(ends.length, 2);
    await engine.close();
  });

  it('creates the nested sub-processes around the element, once for instructions that share them', async () => {
    const { engine, records } = await memoryEngine({ snapshotEveryRecords: 1e9 });
    await engine.deploy(nested());
    const instance = await engine.createInstance(
      'nested',
      { n: 1 },
      { startInstructions: [{ elementId: 'x' }, { elementId: 'y' }] },
    );
    const x = await activateOne(engine, 'x');
    assert.deepEqual({ ...x.variables }, { n: 1, spVar: 'outer', innerVar: 'inner' }, 'input mappings');
    const path = trail(records, instance.processInstanceKey);
    assert.equal(path.filter((p) => p === 'sp:ELEMENT_ACTIVATED').length, 1);
    assert.equal(path.filter((p) => p === 'inner:ELEMENT_ACTIVATED').length, 1);
    assert.ok(!path.some((p) => /^(s|sps|is|a):/.test(p)), 'no start events, nothing before');
    await engine.completeJob(x.key);
    await engine.completeJob((await activateOne(engine, 'y')).key);
    await engine.completeJob((await activateOne(engine, 'y')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion through sp');
    assert.equal(
      trail(records, instance.processInstanceKey).filter((p) => p === 'sp:ELEMENT_COMPLETED').length,
      1,
    );

    const live = stateOf(engine).toSnapshot();
    const replayed = new EngineState(1);
    const processor = new StreamProcessor(replayed);
    for (const record of records) processor.replay(record);
    assert.deepEqual(replayed.toSnapshot(), live, 'replay gives the live state');
    await engine.close();
  });

  it('opens the subscriptions of the process: an event sub-process can interrupt', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('esp', [
        start('s'),
        serviceTask('a', 'a'),
        serviceTask('b', 'b'),
        end('e'),
        ...chain('s', 'a', 'b', 'e'),
        subProcess('handler', [start('hs', { signal: 'stop' }), end('he'), flow('hs', 'he')], {
          triggeredByEvent: true,
        }),
      ]),
    );
    const instance = await engine.createInstance('esp', {}, { startInstructions: [{ elementId: 'b' }] });
    await activateOne(engine, 'b');
    await engine.broadcastSignal('stop');
    await waitFor(() => completed(records, instance.processInstanceKey), 'the event sub-process ran');
    assert.ok(trail(records, instance.processInstanceKey).includes('b:ELEMENT_TERMINATED'));
    await engine.close();
  });

  it('starts inside an event sub-process: it is created without its start event', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('inside-esp', [
        start('s'),
        serviceTask('a', 'a'),
        end('e'),
        ...chain('s', 'a', 'e'),
        subProcess(
          'handler',
          [start('hs', { signal: 'stop' }), serviceTask('h', 'h'), end('he'), ...chain('hs', 'h', 'he')],
          { triggeredByEvent: true },
        ),
      ]),
    );
    const instance = await engine.createInstance(
      'inside-esp',
      {},
      { startInstructions: [{ elementId: 'h' }] },
    );
    await engine.completeJob((await activateOne(engine, 'h')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const path = trail(records, instance.processInstanceKey);
    assert.ok(path.includes('handler:ELEMENT_COMPLETED') && !path.some((p) => /^(hs|s|a):/.test(p)));
    await engine.close();
  });

  it('starts a multi-instance activity through its body, and waits for the result', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('mi', [
        start('s'),
        serviceTask('a', 'never'),
        multiTask('m', 'm', 'inputCollection="=items" inputElement="item"'),
        end('e'),
        ...chain('s', 'a', 'm', 'e'),
      ]),
    );
    engine.createWorker({ type: 'm', handler: () => ({}) });
    const result = await engine.createInstanceWithResult(
      'mi',
      { items: [1, 2, 3] },
      { startInstructions: [{ elementId: 'm' }], timeout: 5_000 },
    );
    assert.deepEqual(result.variables, { items: [1, 2, 3] });
    await engine.close();
  });

  it('refuses what Zeebe refuses, in its words, and creates nothing', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('refusals', [
        start('s'),
        serviceTask('a', 'a'),
        boundary('timeout', 'a', { timer: 'duration', value: 'PT1H' }),
        end('te'),
        flow('timeout', 'te'),
        eventGateway('g'),
        catchEvent('wait', { timer: 'duration', value: 'PT1M' }),
        catchEvent('other', { signal: 'go' }),
        {
          xml: `<bpmn:subProcess id="loop"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1]"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>${[start('ls'), serviceTask('inLoop', 'l'), end('le'), ...chain('ls', 'inLoop', 'le')].map((p) => p.xml).join('')}</bpmn:subProcess>`,
        },
        subProcess('handler', [start('hs', { signal: 'stop' }), end('he'), flow('hs', 'he')], {
          triggeredByEvent: true,
        }),
        end('e'),
        ...chain('s', 'a', 'g'),
        flow('g', 'wait'),
        flow('g', 'other'),
        ...chain('wait', 'loop', 'e'),
        flow('other', 'e'),
      ]),
    );
    const refused = async (elementId: string, reason: RegExp) =>
      assert.rejects(
        engine.createInstance('refusals', {}, { startInstructions: [{ elementId: 'a' }, { elementId }] }),
        (e: BatonError) => e.code === 'INVALID_ARGUMENT' && reason.test(e.message),
      );
    await refused(
      'nope',
      /^Expected to create instance of process with start instructions but no element found with id 'nope'\.$/,
    );
    await refused(
      'inLoop',
      /the element with id 'inLoop' is inside a multi-instance subprocess\. The creation of elements inside a multi-instance subprocess is not supported\.$/,
    );
    for (const [id, type] of [
      ['s', 'START_EVENT'],
      ['hs', 'START_EVENT'],
      ['timeout', 'BOUNDARY_EVENT'],
      ['a-g', 'SEQUENCE_FLOW'],
      ['refusals', 'PROCESS'],
    ]) {
      await refused(
        id!,
        new RegExp(
          `the element with id '${id}' targets unsupported element type '${type}'\\. Supported element types are: \\[.*SERVICE_TASK.*\\]$`,
        ),
      );
    }
    await refused(
      'wait',
      /the element with id 'wait' belongs to an event-based gateway\. The creation of elements belonging to an event-based gateway is not supported\.$/,
    );
    assert.ok(
      !records.some((r) => r.valueType === 'PROCESS_INSTANCE' && r.recordType === 'EVENT'),
      'no instance was created',
    );
    // A process without a none start event needs start instructions.
    await engine.deploy(
      model('by-message', [
        start('ms', { message: 'go' }),
        serviceTask('t', 't'),
        end('me'),
        ...chain('ms', 't', 'me'),
      ]),
    );
    await assert.rejects(
      engine.createInstance('by-message'),
      (e: BatonError) =>
        e.code === 'INVALID_STATE' &&
        e.message ===
          'Expected to create instance of process with none start event, but there is no such event',
    );
    const started = await engine.createInstance(
      'by-message',
      {},
      { startInstructions: [{ elementId: 't' }] },
    );
    const t = await activateOne(engine, 't');
    assert.equal(t.processInstanceKey, started.processInstanceKey);
    await engine.close();
  });

  it('works through the test harness: the instance stands at the named element', async () => {
    const harness = await createTestEngine();
    try {
      await harness.deploy(threeTasks());
      const instance = await harness.createInstance(
        'three-tasks',
        { id: 1 },
        { startInstructions: [{ elementId: 'c' }] },
      );
      await expectInstance(instance).toBeWaitingAt('c');
      await harness.completeJob('task-c');
      await expectInstance(instance).toHaveCompleted();
      await expectInstance(instance).not.toHavePassed('start', 'a', 'b');
    } finally {
      await harness.close();
    }
  });
});
