import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import {
  boundary,
  catchEvent,
  chain,
  end,
  flow,
  model,
  parallel,
  serviceTask,
  start,
  subProcess,
  task,
  throwEvent,
} from './test-support/event-models.js';
import { stateOf } from './internal.js';

const openIncidents = (engine: Awaited<ReturnType<typeof memoryEngine>>['engine']) => [
  ...stateOf(engine).openIncidents(),
];

describe('signals', () => {
  it('a broadcast reaches every waiting catch event and starts signal start processes', async () => {
    const { engine, records } = await memoryEngine({ partitions: 2 });
    await engine.deploy(
      model('waits', [start('s'), catchEvent('c', { signal: 'go' }), end('e'), ...chain('s', 'c', 'e')]),
    );
    await engine.deploy(model('started', [start('s', { signal: 'go' }), end('e'), flow('s', 'e')]));
    const a = await engine.createInstance('waits');
    const b = await engine.createInstance('waits');
    await engine.broadcastSignal('go', { reason: 'test' });
    await waitFor(
      () => completed(records, a.processInstanceKey) && completed(records, b.processInstanceKey),
      'both instances',
    );
    await waitFor(
      () =>
        records.some(
          (r) =>
            r.valueType === 'PROCESS_INSTANCE' &&
            r.intent === 'ELEMENT_COMPLETED' &&
            r.value.elementId === 'started',
        ),
      'a signal-started instance',
    );
    await engine.close();
  });

  it('signal throw and end events broadcast too; a signal boundary interrupts', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('listener', [
        start('s'),
        serviceTask('work', 'work'),
        boundary('stop', 'work', { signal: 'stop-all' }),
        end('done'),
        end('stopped'),
        ...chain('s', 'work', 'done'),
        flow('stop', 'stopped'),
      ]),
    );
    await engine.deploy(
      model('thrower', [
        start('s'),
        throwEvent('t', { signal: 'stop-all' }),
        end('e'),
        ...chain('s', 't', 'e'),
      ]),
    );
    const listener = await engine.createInstance('listener');
    await activateOne(engine, 'work');
    await engine.createInstance('thrower');
    await waitFor(() => completed(records, listener.processInstanceKey), 'the boundary path');
    assert.ok(trail(records, listener.processInstanceKey).includes('stopped:ELEMENT_COMPLETED'));
    await engine.close();
  });
});

describe('errors', () => {
  const payment = (boundaryCode?: string) =>
    model('pay', [
      start('s'),
      serviceTask('charge', 'charge'),
      boundary(
        'declined',
        'charge',
        boundaryCode === undefined ? { error: undefined } : { error: boundaryCode },
      ),
      end('paid'),
      task('refund'),
      end('failed'),
      ...chain('s', 'charge', 'paid'),
      ...chain('declined', 'refund', 'failed'),
    ]);

  it('a BPMN error thrown by a worker is caught by an error boundary event with its code', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(payment('CARD_DECLINED'));
    const instance = await engine.createInstance('pay');
    const job = await activateOne(engine, 'charge');
    await engine.throwError(job.key, {
      errorCode: 'CARD_DECLINED',
      errorMessage: 'insufficient funds',
      variables: { reason: 'funds' },
    });
    await waitFor(() => completed(records, instance.processInstanceKey), 'the error path');
    const path = trail(records, instance.processInstanceKey);
    assert.ok(path.includes('charge:ELEMENT_TERMINATED') && path.includes('failed:ELEMENT_COMPLETED'));
    assert.ok(
      records.some((r) => r.valueType === 'VARIABLE' && r.value.name === 'reason'),
      'error variables reach the catch',
    );
    assert.equal(openIncidents(engine).length, 0);
    await engine.close();
  });

  it('a catch-all error boundary catches any code; a mismatching code becomes an incident', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(payment());
    const caught = await engine.createInstance('pay');
    await engine.throwError((await activateOne(engine, 'charge')).key, { errorCode: 'ANYTHING' });
    await waitFor(() => completed(records, caught.processInstanceKey), 'the catch-all path');
    await engine.deploy(payment('ONLY_THIS'));
    await engine.createInstance('pay');
    await engine.throwError((await activateOne(engine, 'charge')).key, { errorCode: 'OTHER' });
    const [incident] = openIncidents(engine);
    assert.equal(incident?.value.errorType, 'UNHANDLED_ERROR_EVENT');
    assert.match(incident!.value.errorMessage, /'OTHER'/);
    await engine.close();
  });

  it('an error end event in a sub-process is caught by a boundary on the sub-process; uncaught it is an incident', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('nested', [
        start('s'),
        subProcess('sub', [start('ss'), end('fail', { error: 'BROKEN' }), flow('ss', 'fail')]),
        boundary('onBroken', 'sub', { error: 'BROKEN' }),
        end('ok'),
        end('handled'),
        ...chain('s', 'sub', 'ok'),
        flow('onBroken', 'handled'),
      ]),
    );
    const instance = await engine.createInstance('nested');
    await waitFor(() => completed(records, instance.processInstanceKey), 'the boundary path');
    assert.ok(trail(records, instance.processInstanceKey).includes('handled:ELEMENT_COMPLETED'));
    await engine.deploy(model('uncaught', [start('s'), end('fail', { error: 'NOPE' }), flow('s', 'fail')]));
    await engine.createInstance('uncaught');
    const [incident] = openIncidents(engine);
    assert.equal(incident?.value.elementId, 'fail');
    assert.match(incident!.value.errorMessage, /'NOPE'.*not caught/);
    await engine.close();
  });

  it('an error event sub-process catches an error from a task in its scope', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('esp', [
        start('s'),
        serviceTask('t', 'risky'),
        end('e'),
        ...chain('s', 't', 'e'),
        subProcess(
          'onError',
          [start('es', { error: undefined }), task('cleanup'), end('ee'), ...chain('es', 'cleanup', 'ee')],
          {
            triggeredByEvent: true,
          },
        ),
      ]),
    );
    const instance = await engine.createInstance('esp');
    await engine.throwError((await activateOne(engine, 'risky')).key, { errorCode: 'X' });
    await waitFor(() => completed(records, instance.processInstanceKey), 'the event sub-process');
    const path = trail(records, instance.processInstanceKey);
    assert.ok(path.includes('cleanup:ELEMENT_COMPLETED') && path.includes('t:ELEMENT_TERMINATED'));
    await engine.close();
  });
});

describe('escalation and event sub-processes', () => {
  it('a non-interrupting escalation boundary runs alongside; the sub-process goes on', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('esc', [
        start('s'),
        subProcess('sub', [
          start('ss'),
          throwEvent('raise', { escalation: 'LATE' }),
          serviceTask('work', 'work'),
          end('se'),
          ...chain('ss', 'raise', 'work', 'se'),
        ]),
        boundary('notify', 'sub', { escalation: 'LATE' }, { interrupting: false }),
        task('tell'),
        end('told'),
        end('e'),
        ...chain('s', 'sub', 'e'),
        ...chain('notify', 'tell', 'told'),
      ]),
    );
    const instance = await engine.createInstance('esc');
    const job = await activateOne(engine, 'work'); // the sub-process went on after raising
    assert.ok(trail(records, instance.processInstanceKey).includes('told:ELEMENT_COMPLETED'));
    await engine.completeJob(job.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    await engine.close();
  });

  it('message event sub-processes: non-interrupting runs beside, interrupting ends the scope', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('watched', [
        start('s'),
        serviceTask('t', 'long'),
        end('e'),
        ...chain('s', 't', 'e'),
        subProcess(
          'update',
          [
            start('us', { message: 'update', key: '=id' }, { interrupting: false }),
            task('apply'),
            end('ue'),
            ...chain('us', 'apply', 'ue'),
          ],
          {
            triggeredByEvent: true,
          },
        ),
        subProcess(
          'abort',
          [
            start('as', { message: 'abort', key: '=id' }),
            task('undo'),
            end('ae'),
            ...chain('as', 'undo', 'ae'),
          ],
          {
            triggeredByEvent: true,
          },
        ),
      ]),
    );
    const instance = await engine.createInstance('watched', { id: 'w' });
    await engine.publishMessage('update', 'w', { note: 1 });
    await engine.publishMessage('update', 'w', { note: 2 });
    await engine.flush();
    assert.equal(
      trail(records, instance.processInstanceKey).filter((t) => t === 'apply:ELEMENT_COMPLETED').length,
      2,
    );
    assert.equal(completed(records, instance.processInstanceKey), false);
    await engine.publishMessage('abort', 'w');
    await waitFor(
      () => completed(records, instance.processInstanceKey),
      'the interrupting event sub-process',
    );
    assert.ok(trail(records, instance.processInstanceKey).includes('t:ELEMENT_TERMINATED'));
    assert.equal(stateOf(engine).waits.messageSubscriptions.size, 0);
    await engine.close();
  });

  it('a timer event sub-process fires while the scope is active', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('deadline', [
        start('s'),
        serviceTask('t', 'long'),
        end('e'),
        ...chain('s', 't', 'e'),
        subProcess('late', [start('ls', { timer: 'duration', value: 'PT1H' }), end('le'), flow('ls', 'le')], {
          triggeredByEvent: true,
        }),
      ]),
    );
    const instance = await engine.createInstance('deadline');
    clock.advance(3_600_000);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the timer event sub-process');
    assert.ok(trail(records, instance.processInstanceKey).includes('le:ELEMENT_COMPLETED'));
    await engine.close();
  });
});

describe('structure', () => {
  it('an embedded sub-process has its own scope and completes into its parent', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('outer', [
        start('s'),
        subProcess('sub', [
          start('ss'),
          serviceTask('inner', 'inner'),
          end('se'),
          ...chain('ss', 'inner', 'se'),
        ]),
        end('e'),
        ...chain('s', 'sub', 'e'),
      ]),
    );
    engine.createWorker({ type: 'inner', handler: (job) => ({ seen: job.variables.x }) });
    const result = await engine.createInstanceWithResult('outer', { x: 1 });
    assert.deepEqual(result.variables, { x: 1, seen: 1 });
    await engine.close();
  });

  it('a terminate end event ends every other path of its scope', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('term', [
        start('s'),
        parallel('fork'),
        serviceTask('slow', 'slow'),
        end('never'),
        end('stop', { terminate: true }),
        ...chain('s', 'fork'),
        ...chain('fork', 'slow', 'never'),
        flow('fork', 'stop'),
      ]),
    );
    const instance = await engine.createInstance('term');
    await waitFor(() => completed(records, instance.processInstanceKey), 'termination');
    assert.ok(trail(records, instance.processInstanceKey).includes('slow:ELEMENT_TERMINATED'));
    assert.equal(stateOf(engine).counts.jobs, 0);
    await engine.close();
  });

  it('a terminate end event also ends a scope where a join holds a token', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('term-join', [
        start('s'),
        parallel('fork'),
        parallel('join'),
        serviceTask('slow', 'slow'),
        end('never'),
        end('stop', { terminate: true }),
        ...chain('s', 'fork'),
        ...chain('fork', 'join', 'never'),
        ...chain('fork', 'slow', 'join'),
        flow('fork', 'stop'),
      ]),
    );
    const instance = await engine.createInstance('term-join');
    await waitFor(
      () => completed(records, instance.processInstanceKey),
      'termination with a token at the join',
    );
    assert.equal(stateOf(engine).counts.elementInstances, 0);
    await engine.close();
  });

  it('link events jump within a scope; a none throw event passes through', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('links', [
        start('s'),
        throwEvent('none'),
        throwEvent('jump', { link: 'far' }),
        catchEvent('land', { link: 'far' }),
        end('e'),
        ...chain('s', 'none', 'jump'),
        ...chain('land', 'e'),
      ]),
    );
    const instance = await engine.createInstance('links');
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    assert.ok(trail(records, instance.processInstanceKey).includes('land:ELEMENT_COMPLETED'));
    await engine.close();
  });
});
