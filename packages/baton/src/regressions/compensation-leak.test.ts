import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completed, memoryEngine, waitFor } from '../test-support/fixture.js';
import {
  chain,
  compensable,
  end,
  model,
  serviceTask,
  start,
  subProcess,
  throwEvent,
} from '../test-support/event-models.js';
import { stateOf } from '../internal.js';

const trip = (undoInner: boolean, mi = false) => [
  {
    xml: `<bpmn:subProcess id="trip">${mi ? '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>' : ''}`,
  },
  start('ts'),
  ...compensable('hotel', 'book-hotel', 'cancel-hotel'),
  end('te'),
  ...chain('ts', 'hotel', 'te'),
  subProcess(
    'undo-trip',
    [
      start('us', { compensation: true }),
      serviceTask('notify', 'notify-undo'),
      ...(undoInner ? [throwEvent('undo-inner', { compensation: true })] : []),
      end('ue'),
      ...(undoInner ? chain('us', 'notify', 'undo-inner', 'ue') : chain('us', 'notify', 'ue')),
    ],
    { triggeredByEvent: true },
  ),
  { xml: '</bpmn:subProcess>' },
];
const compensations = (engine: Awaited<ReturnType<typeof memoryEngine>>['engine']) =>
  (stateOf(engine) as unknown as { compensations: Map<string, unknown> }).compensations.size;

describe('compensation subscriptions do not outlive their instance', () => {
  for (const [name, parts] of [
    ['no throw', [start('s'), ...trip(true), end('e'), ...chain('s', 'trip', 'e')]],
    [
      'throw, deep',
      [
        start('s'),
        ...trip(true),
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'trip', 'undo', 'e'),
      ],
    ],
    [
      'throw, shallow',
      [
        start('s'),
        ...trip(false),
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'trip', 'undo', 'e'),
      ],
    ],
    [
      'MI trip, throw deep',
      [
        start('s'),
        ...trip(true, true),
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'trip', 'undo', 'e'),
      ],
    ],
    ['MI trip, no throw', [start('s'), ...trip(true, true), end('e'), ...chain('s', 'trip', 'e')]],
    [
      'nested in P',
      [
        start('s'),
        { xml: '<bpmn:subProcess id="P">' },
        start('ps'),
        ...trip(true),
        end('pe'),
        ...chain('ps', 'trip', 'pe'),
        { xml: '</bpmn:subProcess>' },
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'P', 'undo', 'e'),
      ],
    ],
  ] as const) {
    it(name, async () => {
      const { engine, records } = await memoryEngine();
      await engine.deploy(model('p', parts as never));
      const calls: string[] = [];
      for (const t of ['book-hotel', 'notify-undo', 'cancel-hotel'])
        engine.createWorker({ type: t, handler: () => void calls.push(t) });
      const i = await engine.createInstance('p');
      await waitFor(() => completed(records, i.processInstanceKey), 'completion');
      await engine.flush();
      const left = compensations(engine);
      const els = stateOf(engine).counts.elementInstances;
      await engine.close();
      assert.deepEqual({ left, els }, { left: 0, els: 0 }, calls.join(','));
    });
  }
});
