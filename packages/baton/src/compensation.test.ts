import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BpmnError } from './workers/job-worker.js';
import { completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  boundary,
  chain,
  compensable,
  end,
  ioMapping,
  model,
  multiTask,
  serviceTask,
  start,
  subProcess,
  throwEvent,
} from './test-support/event-models.js';
import { stateOf } from './internal.js';

const payment = readFileSync(new URL('../../../examples/payment-saga/payment.bpmn', import.meta.url), 'utf8');

describe('compensation (saga)', () => {
  it('the payment example: a declined card gives the deducted credit back, with the variables the deduction saw', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy({ name: 'payment.bpmn', xml: payment });
    const refunds: unknown[] = [];
    engine.createWorker({ type: 'deduct-credit', handler: () => ({ creditDeducted: 30 }) });
    engine.createWorker({
      type: 'charge-card',
      handler: (job) => {
        if (job.variables.card === 'declined') throw new BpmnError('CARD_DECLINED', 'insufficient funds');
        return { charged: (job.variables.amount as number) - 30 };
      },
    });
    engine.createWorker({
      type: 'refund-credit',
      handler: (job) => void refunds.push(job.variables.creditDeducted),
    });
    const ok = await engine.createInstanceWithResult('payment', { amount: 100, card: 'valid' });
    assert.equal(ok.variables.charged, 70);
    assert.deepEqual(refunds, [], 'nothing to undo when the payment went through');
    const failed = await engine.createInstanceWithResult('payment', { amount: 100, card: 'declined' });
    assert.deepEqual(refunds, [30]);
    const path = trail(records, failed.processInstanceKey);
    assert.ok(
      path.includes('refundCredit:ELEMENT_COMPLETED') && path.includes('paymentFailed:ELEMENT_COMPLETED'),
    );
    assert.ok(
      path.indexOf('refundCredit:ELEMENT_COMPLETED') < path.indexOf('compensate:ELEMENT_COMPLETED'),
      'the throw waits for its handlers',
    );
    await engine.close();
  });

  it('compensates every completed activity of the scope in reverse order; a named activity only itself', async () => {
    const { engine, records } = await memoryEngine();
    const handled: string[] = [];
    const parts = [
      ...compensable('first', 'work', 'undo-first'),
      ...compensable('second', 'work', 'undo-second'),
    ];
    await engine.deploy(
      model('all', [
        start('s'),
        ...parts,
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'first', 'second', 'undo', 'e'),
      ]),
    );
    await engine.deploy(
      model('one', [
        start('s'),
        ...parts,
        {
          xml: '<bpmn:endEvent id="e"><bpmn:compensateEventDefinition activityRef="first"/></bpmn:endEvent>',
        },
        ...chain('s', 'first', 'second', 'e'),
      ]),
    );
    engine.createWorker({ type: 'work', handler: () => ({}) });
    for (const name of ['undo-first', 'undo-second'])
      engine.createWorker({ type: name, handler: () => void handled.push(name) });
    const all = await engine.createInstance('all');
    await waitFor(() => completed(records, all.processInstanceKey), 'the first instance');
    assert.deepEqual(handled, ['undo-second', 'undo-first']);
    handled.length = 0;
    const one = await engine.createInstance('one');
    await waitFor(() => completed(records, one.processInstanceKey), 'the second instance');
    assert.deepEqual(handled, ['undo-first']);
    assert.equal([...stateOf(engine).openIncidents()].length, 0);
    await engine.close();
  });

  it('a compensation event sub-process undoes its sub-process, and can compensate what completed inside it', async () => {
    const trip = (undoInner: boolean) => [
      {
        xml: `<bpmn:subProcess id="trip">${ioMapping('tripId="T-" + string(n)', '')}`,
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
    const { engine, records } = await memoryEngine();
    for (const [id, undoInner] of [
      ['deep', true],
      ['shallow', false],
    ] as const) {
      await engine.deploy(
        model(id, [
          start('s'),
          ...trip(undoInner),
          throwEvent('undo', { compensation: true }),
          end('e'),
          ...chain('s', 'trip', 'undo', 'e'),
        ]),
      );
    }
    const calls: string[] = [];
    engine.createWorker({ type: 'book-hotel', handler: () => ({ booked: true }) });
    engine.createWorker({
      type: 'notify-undo',
      handler: (job) => void calls.push(`notify ${String(job.variables.tripId)}`),
    });
    engine.createWorker({ type: 'cancel-hotel', handler: () => void calls.push('cancel-hotel') });

    const deep = await engine.createInstanceWithResult('deep', { n: 1 });
    assert.deepEqual(
      calls,
      ['notify T-1', 'cancel-hotel'],
      'the handler sees the trip scope; its throw reaches the hotel',
    );
    const path = trail(records, deep.processInstanceKey);
    assert.ok(path.indexOf('undo-trip:ELEMENT_COMPLETED') < path.indexOf('undo:ELEMENT_COMPLETED'));

    calls.length = 0;
    await engine.createInstanceWithResult('shallow', { n: 2 });
    assert.deepEqual(
      calls,
      ['notify T-2'],
      'the event sub-process replaces the default compensation of the inside',
    );
    assert.equal(stateOf(engine).counts.elementInstances, 0);
    await engine.close();
  });

  it('refuses a compensation event sub-process outside an embedded sub-process, naming it', async () => {
    const { engine } = await memoryEngine();
    await assert.rejects(
      engine.deploy(
        model('misplaced', [
          start('s'),
          end('e'),
          ...chain('s', 'e'),
          subProcess('undo-all', [start('us', { compensation: true }), end('ue'), ...chain('us', 'ue')], {
            triggeredByEvent: true,
          }),
        ]),
      ),
      /undo-all.*compensation event sub-process must be inside an embedded sub-process/,
    );
    await engine.close();
  });

  it('compensates each completed instance of a multi-instance activity, newest first, with its own item', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('each', [
        start('s'),
        multiTask('book', 'book', 'inputCollection="=items" inputElement="item"', { sequential: true }),
        boundary('undo-book', 'book', { compensation: true }),
        {
          xml: '<bpmn:serviceTask id="unbook" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="unbook"/></bpmn:extensionElements></bpmn:serviceTask>',
        },
        { xml: '<bpmn:association id="assoc-book" sourceRef="undo-book" targetRef="unbook"/>' },
        throwEvent('undo', { compensation: true }),
        end('e'),
        ...chain('s', 'book', 'undo', 'e'),
      ]),
    );
    const unbooked: unknown[] = [];
    engine.createWorker({ type: 'book', handler: () => ({}) });
    engine.createWorker({ type: 'unbook', handler: (job) => void unbooked.push(job.variables.item) });
    const done = await engine.createInstanceWithResult('each', { items: ['a', 'b', 'c'] });
    assert.deepEqual(unbooked, ['c', 'b', 'a']);
    assert.ok(completed(records, done.processInstanceKey));
    await engine.close();
  });
});
