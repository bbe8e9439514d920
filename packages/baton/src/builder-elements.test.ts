// Every element the builder offers, built with it and run on the engine: the builder's output is only
// right if Baton (and Zeebe) execute it as the model says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import type { BuiltProcess } from '@baton-engine/builder';
import { BpmnError } from './workers/job-worker.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import type { Fixture } from './test-support/fixture.js';

const MINUTE = 60_000;

/** An engine with `processes` deployed; closed by the caller. */
async function engineWith(...processes: BuiltProcess[]): Promise<Fixture> {
  const fixture = await memoryEngine();
  await fixture.engine.deploy(processes);
  return fixture;
}

/** Lets the engine process what a clock move or a publication made due. */
async function settle(engine: { flush(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await engine.flush();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('builder elements on the engine', () => {
  describe('timers', () => {
    it('an interrupting timer boundary event cancels a task that takes too long', async () => {
      const process = createProcess('slow-review')
        .startEvent('s')
        .serviceTask('review', { type: 'review' })
        .endEvent('reviewed')
        .moveToNode('review')
        .boundaryEvent('too-slow', { timer: { duration: 'PT15M' } })
        .endEvent('escalated')
        .done();
      const { engine, clock, records } = await engineWith(process);
      const instance = await engine.createInstance('slow-review');
      await activateOne(engine, 'review');
      clock.advance(14 * MINUTE);
      await settle(engine);
      assert.equal(completed(records, instance.processInstanceKey), false);
      clock.advance(MINUTE);
      await waitFor(() => completed(records, instance.processInstanceKey), 'the timer to fire');
      const path = trail(records, instance.processInstanceKey);
      assert.ok(path.includes('review:ELEMENT_TERMINATED'));
      assert.ok(path.includes('escalated:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('a non-interrupting timer cycle reminds while the task goes on; a FEEL catch timer waits', async () => {
      const process = createProcess('reminders')
        .startEvent('s')
        .intermediateCatchEvent('cool-off', { timer: { duration: '= delay' } })
        .userTask('approve', { candidateGroups: ['managers'] })
        .endEvent('approved')
        .moveToNode('approve')
        .boundaryEvent('remind', { timer: { cycle: 'R2/PT1H' }, interrupting: false })
        .serviceTask('send-reminder', { type: 'remind' })
        .endEvent('reminded')
        .done();
      const { engine, clock, records } = await engineWith(process);
      const reminders: string[] = [];
      engine.createWorker({ type: 'remind', handler: () => void reminders.push('sent') });
      const instance = await engine.createInstance('reminders', { delay: 'PT10M' });
      assert.equal(engine.userTasks().length, 0, 'still cooling off');
      clock.advance(10 * MINUTE);
      await waitFor(() => engine.userTasks().length === 1, 'the user task');
      for (let hour = 0; hour < 3; hour++) {
        clock.advance(60 * MINUTE);
        await settle(engine);
      }
      await waitFor(() => reminders.length === 2, 'two reminders');
      await engine.completeUserTask(engine.userTasks()[0]!.key);
      await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
      await engine.close();
    });

    it('a timer start event starts instances on its cycle', async () => {
      const process = createProcess('nightly')
        .startEvent('every-hour', { timer: { cycle: 'R3/PT1H' } })
        .serviceTask('report', { type: 'report' })
        .endEvent()
        .done();
      const { engine, clock } = await engineWith(process);
      let runs = 0;
      engine.createWorker({ type: 'report', handler: () => void (runs += 1) });
      clock.advance(60 * MINUTE);
      await waitFor(() => runs === 1, 'the first run');
      clock.advance(60 * MINUTE);
      await waitFor(() => runs === 2, 'the second run');
      await engine.close();
    });
  });

  describe('messages', () => {
    it('a message catch event correlates by its key and maps the message variables', async () => {
      const process = createProcess('await-payment')
        .startEvent('s')
        .intermediateCatchEvent('paid', {
          message: { name: 'payment-received', correlationKey: '= orderId' },
          outputs: [{ source: '= total', target: 'amountPaid' }],
        })
        .endEvent('e')
        .done();
      const { engine, records } = await engineWith(process);
      const a = await engine.createInstance('await-payment', { orderId: 'A' });
      const b = await engine.createInstance('await-payment', { orderId: 'B' });
      await engine.publishMessage('payment-received', 'B', { total: 42 });
      await waitFor(() => completed(records, b.processInstanceKey), 'B to complete');
      assert.equal(completed(records, a.processInstanceKey), false);
      const mapped = records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'amountPaid');
      assert.equal(mapped?.valueType === 'VARIABLE' && mapped.value.value, 42);
      await engine.close();
    });

    it('a message start event starts an instance; a receive task waits for the next message', async () => {
      const process = createProcess('order-flow')
        .startEvent('placed', { message: 'order-placed' })
        .receiveTask('wait-for-stock', { message: { name: 'stock-arrived', correlationKey: '= sku' } })
        .endEvent('e')
        .done();
      const { engine, records } = await engineWith(process);
      await engine.publishMessage('order-placed', '', { sku: 'X-1' });
      await settle(engine);
      const started = records.find(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE' &&
          r.intent === 'ELEMENT_ACTIVATED' &&
          r.value.elementId === 'wait-for-stock',
      );
      assert.ok(started, 'the message started an instance that waits in the receive task');
      const key = started.valueType === 'PROCESS_INSTANCE' ? started.value.processInstanceKey : '';
      await engine.publishMessage('stock-arrived', 'X-1', {});
      await waitFor(() => completed(records, key), 'the receive task to get its message');
      await engine.close();
    });

    it('an event-based gateway takes the path of the first event: a message or a timeout', async () => {
      const process = createProcess('race')
        .startEvent('s')
        .eventBasedGateway('first')
        .intermediateCatchEvent('answer', { message: { name: 'answer', correlationKey: '= ticket' } })
        .endEvent('answered')
        .moveToNode('first')
        .intermediateCatchEvent('timeout', { timer: { duration: 'PT1H' } })
        .endEvent('timed-out')
        .done();
      const { engine, clock, records } = await engineWith(process);
      const quick = await engine.createInstance('race', { ticket: 'T1' });
      const slow = await engine.createInstance('race', { ticket: 'T2' });
      await engine.publishMessage('answer', 'T1');
      await waitFor(() => completed(records, quick.processInstanceKey), 'the answer');
      clock.advance(60 * MINUTE);
      await waitFor(() => completed(records, slow.processInstanceKey), 'the timeout');
      assert.ok(trail(records, quick.processInstanceKey).includes('answered:ELEMENT_COMPLETED'));
      assert.ok(trail(records, slow.processInstanceKey).includes('timed-out:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('a send task is a job for the worker that sends', async () => {
      const process = createProcess('notify')
        .startEvent('s')
        .sendTask('send-mail', { type: 'mail', headers: { template: 'welcome' } })
        .endEvent('e')
        .done();
      const { engine } = await engineWith(process);
      engine.createWorker({ type: 'mail', handler: (job) => ({ template: job.customHeaders.template }) });
      const result = await engine.createInstanceWithResult('notify');
      assert.equal(result.variables.template, 'welcome');
      await engine.close();
    });

    it('a message throw event and a message end event are jobs (Zeebe needs no message reference)', async () => {
      const process = createProcess('announce')
        .startEvent('s')
        .intermediateThrowEvent('tell-shop', { message: { type: 'tell-shop' } })
        .endEvent('tell-customer', { message: { type: 'tell-customer' } })
        .done();
      const { engine } = await engineWith(process);
      const sent: string[] = [];
      engine.createWorker({ type: 'tell-shop', handler: () => void sent.push('shop') });
      engine.createWorker({ type: 'tell-customer', handler: () => void sent.push('customer') });
      await engine.createInstanceWithResult('announce');
      assert.deepEqual(sent, ['shop', 'customer']);
      await engine.close();
    });
  });

  describe('errors, escalations, signals, terminate, links', () => {
    it('an error boundary event catches the BPMN error a worker throws', async () => {
      const process = createProcess('charge')
        .startEvent('s')
        .serviceTask('charge-card', { type: 'charge' })
        .endEvent('charged')
        .moveToNode('charge-card')
        .boundaryEvent('declined', { error: 'CARD_DECLINED' })
        .serviceTask('notify', { type: 'notify' })
        .endEvent('not-charged')
        .moveToNode('charge-card')
        .boundaryEvent('any-error', { error: true })
        .endEvent('broken')
        .done();
      const { engine, records } = await engineWith(process);
      engine.createWorker({
        type: 'charge',
        handler: (job) => {
          throw new BpmnError(job.variables.code as string, 'no');
        },
      });
      engine.createWorker({ type: 'notify', handler: () => ({ notified: true }) });
      const declined = await engine.createInstanceWithResult('charge', { code: 'CARD_DECLINED' });
      assert.equal(declined.variables.notified, true);
      assert.ok(trail(records, declined.processInstanceKey).includes('not-charged:ELEMENT_COMPLETED'));
      const other = await engine.createInstanceWithResult('charge', { code: 'SOMETHING_ELSE' });
      assert.ok(trail(records, other.processInstanceKey).includes('broken:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('an error end event in a sub-process is caught by a boundary event on the sub-process', async () => {
      const process = createProcess('validate')
        .startEvent('s')
        .subProcess('check', (sub) =>
          sub
            .startEvent('cs')
            .exclusiveGateway('valid')
            .condition('= amount > 0')
            .endEvent('ok')
            .moveToNode('valid')
            .defaultFlow()
            .endEvent('invalid', { error: 'INVALID' }),
        )
        .endEvent('accepted')
        .moveToNode('check')
        .boundaryEvent('rejected', { error: 'INVALID' })
        .scriptTask('explain', { expression: '"amount must be positive"', resultVariable: 'reason' })
        .endEvent('refused')
        .done();
      const { engine } = await engineWith(process);
      const good = await engine.createInstanceWithResult('validate', { amount: 5 });
      assert.equal(good.variables.reason, undefined);
      const bad = await engine.createInstanceWithResult('validate', { amount: -1 });
      assert.equal(bad.variables.reason, 'amount must be positive');
      await engine.close();
    });

    it('an escalation thrown in a sub-process reaches a non-interrupting boundary event', async () => {
      const process = createProcess('escalate')
        .startEvent('s')
        .subProcess('handle', (sub) =>
          sub
            .startEvent('hs')
            .intermediateThrowEvent('too-big', { escalation: 'BIG' })
            .scriptTask('finish', { expression: 'true', resultVariable: 'finished' })
            .endEvent('he'),
        )
        .endEvent('e')
        .moveToNode('handle')
        .boundaryEvent('noticed', { escalation: 'BIG', interrupting: false })
        .scriptTask('note', { expression: 'true', resultVariable: 'noted' })
        .endEvent('ne')
        .done();
      const { engine } = await engineWith(process);
      const result = await engine.createInstanceWithResult('escalate');
      assert.equal(result.variables.noted, true);
      assert.equal(result.variables.finished, true, 'the sub-process went on');
      await engine.close();
    });

    it('a signal throw event reaches a signal catch event; a signal start event starts a process', async () => {
      const waiting = createProcess('waiting')
        .startEvent('s')
        .intermediateCatchEvent('go', { signal: 'go' })
        .endEvent('e')
        .done();
      const started = createProcess('started-by-signal')
        .startEvent('on-go', { signal: 'go' })
        .serviceTask('record', { type: 'record' })
        .endEvent()
        .done();
      const thrower = createProcess('thrower')
        .startEvent()
        .intermediateThrowEvent('shout', { signal: 'go' })
        .endEvent('done', { signal: 'done' })
        .done();
      const { engine, records } = await engineWith(waiting, started, thrower);
      let recorded = 0;
      engine.createWorker({ type: 'record', handler: () => void (recorded += 1) });
      const instance = await engine.createInstance('waiting');
      await engine.createInstanceWithResult('thrower');
      await waitFor(() => completed(records, instance.processInstanceKey), 'the signal');
      await waitFor(() => recorded === 1, 'the signal start event');
      await engine.close();
    });

    it('a terminate end event ends the other paths; a link jumps to its catch event', async () => {
      const process = createProcess('stop')
        .startEvent('s')
        .parallelGateway('fork')
        .serviceTask('never-done', { type: 'never' })
        .endEvent('normal')
        .moveToNode('fork')
        .intermediateThrowEvent('jump', { link: 'to-end' })
        .intermediateCatchEvent('landed', { link: 'to-end' })
        .endEvent('stop-all', { terminate: true })
        .done();
      const { engine, records } = await engineWith(process);
      const result = await engine.createInstanceWithResult('stop');
      const path = trail(records, result.processInstanceKey);
      assert.ok(path.includes('landed:ELEMENT_COMPLETED'));
      assert.ok(path.includes('never-done:ELEMENT_TERMINATED'));
      await engine.close();
    });
  });

  describe('sub-processes', () => {
    it('an interrupting message event sub-process cancels the instance work and runs instead', async () => {
      const process = createProcess('cancellable')
        .eventSubProcess('on-cancel', (sub) =>
          sub
            .startEvent('cancel-requested', { message: { name: 'cancel', correlationKey: '= orderId' } })
            .scriptTask('mark', { expression: 'true', resultVariable: 'cancelled' })
            .endEvent('cancelled-end'),
        )
        .startEvent('s')
        .serviceTask('ship', { type: 'ship' })
        .endEvent('shipped')
        .done();
      const { engine, records } = await engineWith(process);
      const instance = await engine.createInstance('cancellable', { orderId: 'o-1' });
      await activateOne(engine, 'ship');
      await engine.publishMessage('cancel', 'o-1');
      await waitFor(() => completed(records, instance.processInstanceKey), 'the cancellation');
      const path = trail(records, instance.processInstanceKey);
      assert.ok(path.includes('ship:ELEMENT_TERMINATED'));
      assert.ok(path.includes('mark:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('a non-interrupting timer event sub-process runs beside the main path', async () => {
      const process = createProcess('watched')
        .eventSubProcess('watch', { name: 'Watch' }, (sub) =>
          sub
            .startEvent('after-a-while', { timer: { duration: 'PT5M' }, interrupting: false })
            .serviceTask('log', { type: 'log' })
            .endEvent(),
        )
        .startEvent('s')
        .userTask('decide')
        .endEvent('decided')
        .done();
      const { engine, clock, records } = await engineWith(process);
      let logged = 0;
      engine.createWorker({ type: 'log', handler: () => void (logged += 1) });
      const instance = await engine.createInstance('watched');
      await waitFor(() => engine.userTasks().length === 1, 'the user task');
      clock.advance(5 * MINUTE);
      await waitFor(() => logged === 1, 'the event sub-process');
      await engine.completeUserTask(engine.userTasks()[0]!.key);
      await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
      await engine.close();
    });

    it('an embedded sub-process maps its inputs and outputs', async () => {
      const process = createProcess('nested')
        .startEvent('s')
        .subProcess(
          'inner',
          { inputs: [{ source: '= n', target: 'x' }], outputs: [{ source: '= y', target: 'result' }] },
          (sub) =>
            sub
              .startEvent('is')
              .scriptTask('double', { expression: 'x * 2', resultVariable: 'y' })
              .endEvent('ie'),
        )
        .endEvent('e')
        .done();
      const { engine } = await engineWith(process);
      const result = await engine.createInstanceWithResult('nested', { n: 21 });
      assert.equal(result.variables.result, 42);
      await engine.close();
    });

    it('a call activity runs the called process and propagates its variables', async () => {
      const child = createProcess('child')
        .startEvent()
        .serviceTask('work', { type: 'child-work' })
        .endEvent()
        .done();
      const parent = createProcess('parent')
        .startEvent('s')
        .callActivity('call', {
          processId: 'child',
          propagateAllChildVariables: false,
          outputs: [{ source: '= doubled', target: 'result' }],
        })
        .endEvent('e')
        .done();
      const { engine } = await engineWith(child, parent);
      engine.createWorker({
        type: 'child-work',
        handler: (job) => ({ doubled: (job.variables.n as number) * 2, noise: 1 }),
      });
      const result = await engine.createInstanceWithResult('parent', { n: 21 });
      assert.equal(result.variables.result, 42);
      assert.equal(result.variables.noise, undefined, 'only the output mapping comes back');
      await engine.close();
    });
  });

  describe('ad-hoc sub-processes', () => {
    it('activates the tools the collection names, follows inner flows and completes by its condition', async () => {
      const process = createProcess('agent')
        .startEvent('s')
        .adHocSubProcess(
          'tools',
          {
            activeElementsCollection: 'toolsToCall',
            completionCondition: 'answered',
            outputCollection: 'results',
            outputElement: '= result',
          },
          (tools) =>
            tools
              .serviceTask('search', { type: 'search' })
              .scriptTask('summarise', { expression: '"summary of " + result', resultVariable: 'result' })
              .newPath()
              .serviceTask('answer', { type: 'answer' })
              .newPath()
              .serviceTask('unused', { type: 'unused' }),
        )
        .boundaryEvent('too-long', { timer: { duration: 'PT1H' } })
        .endEvent('gave-up')
        .moveToNode('tools')
        .endEvent('done')
        .done();
      const { engine, records } = await engineWith(process);
      const instance = await engine.createInstance('agent', {
        toolsToCall: ['search', 'answer'],
        answered: false,
      });
      const search = await activateOne(engine, 'search');
      const answer = await activateOne(engine, 'answer');
      await engine.completeJob(search.key, { result: 'found' });
      await settle(engine);
      assert.equal(completed(records, instance.processInstanceKey), false);
      await engine.completeJob(answer.key, { result: 42, answered: true });
      await waitFor(() => completed(records, instance.processInstanceKey), 'the completion condition');
      const path = trail(records, instance.processInstanceKey);
      assert.ok(path.includes('summarise:ELEMENT_COMPLETED'));
      assert.ok(path.includes('done:ELEMENT_COMPLETED'));
      assert.ok(!path.some((t) => t.startsWith('unused:')));
      const results = records.flatMap((r) =>
        r.valueType === 'VARIABLE' && r.value.name === 'results' ? [r.value.value] : [],
      );
      assert.deepEqual(results.at(-1), ['summary of found', 42]);
      await engine.close();
    });
  });

  describe('multi-instance, gateways, tasks', () => {
    it('a parallel multi-instance task collects its output in item order; a sequential one stops on its condition', async () => {
      const process = createProcess('fan-out')
        .startEvent('s')
        .serviceTask('square', {
          type: 'square',
          multiInstance: {
            inputCollection: '= items',
            inputElement: 'item',
            outputCollection: 'squares',
            outputElement: '= result',
          },
        })
        .scriptTask('until-big', {
          expression: 'item * 10',
          resultVariable: 'big',
          multiInstance: {
            inputCollection: 'items',
            inputElement: 'item',
            outputCollection: 'tens',
            outputElement: 'big',
            sequential: true,
            completionCondition: 'big >= 20',
          },
        })
        .endEvent('e')
        .done();
      const { engine } = await engineWith(process);
      engine.createWorker({
        type: 'square',
        handler: (job) => ({ result: (job.variables.item as number) ** 2 }),
      });
      const result = await engine.createInstanceWithResult('fan-out', { items: [1, 2, 3, 4] });
      assert.deepEqual(result.variables.squares, [1, 4, 9, 16]);
      assert.deepEqual((result.variables.tens as unknown[]).slice(0, 2), [10, 20]);
      await engine.close();
    });

    it('an inclusive gateway forks into every true branch and joins them', async () => {
      const process = createProcess('extras')
        .startEvent('s')
        .inclusiveGateway('which')
        .condition('= gift')
        .scriptTask('wrap', { expression: 'true', resultVariable: 'wrapped' })
        .inclusiveGateway('join')
        .endEvent('e')
        .moveToNode('which')
        .condition('= express')
        .scriptTask('rush', { expression: 'true', resultVariable: 'rushed' })
        .connectTo('join')
        .moveToNode('which')
        .defaultFlow()
        .scriptTask('plain', { expression: 'true', resultVariable: 'plain' })
        .connectTo('join')
        .done();
      const { engine } = await engineWith(process);
      const both = await engine.createInstanceWithResult('extras', { gift: true, express: true });
      assert.equal(both.variables.wrapped, true);
      assert.equal(both.variables.rushed, true);
      assert.equal(both.variables.plain, undefined);
      const none = await engine.createInstanceWithResult('extras', { gift: false, express: false });
      assert.equal(none.variables.plain, true);
      await engine.close();
    });

    it('a Camunda user task carries its assignment, schedule and form; a job-based one is a job', async () => {
      const process = createProcess('approval')
        .startEvent('s')
        .userTask('approve', {
          assignee: '= requester.manager',
          candidateGroups: ['finance', 'managers'],
          candidateUsers: 'ada, bob',
          dueDate: '= due',
          followUpDate: '2030-01-15T09:00:00Z',
          formKey: 'approve-form',
        })
        .userTask('file', { jobWorker: true, assignee: 'clerk' })
        .endEvent('e')
        .done();
      const { engine, records } = await engineWith(process);
      const instance = await engine.createInstance('approval', {
        requester: { manager: 'carol' },
        due: '2030-02-01T09:00:00Z',
      });
      const [task] = engine.userTasks({ elementId: 'approve' });
      assert.ok(task);
      assert.equal(task.assignee, 'carol');
      assert.deepEqual(task.candidateGroups, ['finance', 'managers']);
      assert.deepEqual(task.candidateUsers, ['ada', 'bob']);
      assert.equal(task.dueDate, '2030-02-01T09:00:00Z');
      assert.equal(task.followUpDate, '2030-01-15T09:00:00Z');
      assert.equal(task.formKey, 'approve-form');
      await engine.completeUserTask(task.key, { approved: true });
      const job = await activateOne(engine, 'io.camunda.zeebe:userTask');
      assert.equal(job.customHeaders['io.camunda.zeebe:assignee'], 'clerk');
      await engine.completeJob(job.key);
      await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
      await engine.close();
    });

    it('a business rule task evaluates a DMN decision; a job-based one is a job', async () => {
      const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="levels" name="Levels" namespace="http://baton.dev/test">
  <decision id="level" name="Customer level"><literalExpression id="levelExpr"><text>if orders &gt; 10 then "gold" else "silver"</text></literalExpression></decision>
</definitions>`;
      const process = createProcess('rate')
        .startEvent('s')
        .businessRuleTask('classify', { decisionId: 'level', resultVariable: 'level' })
        .businessRuleTask('price', { type: 'price' })
        .endEvent('e')
        .done();
      const { engine } = await memoryEngine();
      await engine.deploy([{ name: 'levels.dmn', xml: dmn }, process]);
      engine.createWorker({
        type: 'price',
        handler: (job) => ({ price: job.variables.level === 'gold' ? 8 : 10 }),
      });
      const result = await engine.createInstanceWithResult('rate', { orders: 12 });
      assert.equal(result.variables.level, 'gold');
      assert.equal(result.variables.price, 8);
      await engine.close();
    });
  });

  describe('compensation', () => {
    it('a compensation event sub-process, built in code, undoes its sub-process', async () => {
      const process = createProcess('trip-booking')
        .startEvent('s')
        .subProcess('trip', {}, (sub) =>
          sub
            .eventSubProcess('undo-trip', {}, (undo) =>
              undo
                .startEvent('undo-requested', { compensation: true })
                .serviceTask('cancel-trip', { type: 'cancel-trip' })
                .endEvent('undone'),
            )
            .startEvent('ts')
            .serviceTask('book-trip', { type: 'book-trip' })
            .endEvent('te'),
        )
        .intermediateThrowEvent('changed-mind', { compensation: true })
        .endEvent('e')
        .done();
      const { engine, records } = await engineWith(process);
      const undone: unknown[] = [];
      engine.createWorker({ type: 'book-trip', handler: () => ({ tripId: 'T-9' }) });
      engine.createWorker({ type: 'cancel-trip', handler: (job) => void undone.push(job.variables.tripId) });
      const result = await engine.createInstanceWithResult('trip-booking', {});
      assert.deepEqual(undone, ['T-9']);
      assert.ok(trail(records, result.processInstanceKey).includes('undo-trip:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('a saga: a failed payment compensates the completed steps in reverse order', async () => {
      const process = createProcess('booking')
        .startEvent('s')
        .serviceTask('book-hotel', { type: 'book-hotel' })
        .boundaryEvent('undo-hotel', { compensation: true })
        .serviceTask('cancel-hotel', { type: 'cancel-hotel' })
        .moveToNode('book-hotel')
        .serviceTask('book-flight', { type: 'book-flight' })
        .boundaryEvent('undo-flight', { compensation: true })
        .serviceTask('cancel-flight', { type: 'cancel-flight' })
        .moveToNode('book-flight')
        .serviceTask('pay', { type: 'pay' })
        .endEvent('booked')
        .moveToNode('pay')
        .boundaryEvent('payment-failed', { error: 'PAYMENT_FAILED' })
        .intermediateThrowEvent('undo-all', { compensation: true })
        .endEvent('not-booked')
        .done();
      const { engine, records } = await engineWith(process);
      const undone: string[] = [];
      engine.createWorker({ type: 'book-hotel', handler: () => ({ hotel: 'H1' }) });
      engine.createWorker({ type: 'book-flight', handler: () => ({ flight: 'F1' }) });
      engine.createWorker({
        type: 'pay',
        handler: (job) => {
          if (job.variables.card === 'bad') throw new BpmnError('PAYMENT_FAILED', 'declined');
          return { paid: true };
        },
      });
      engine.createWorker({
        type: 'cancel-hotel',
        handler: (job) => void undone.push(`hotel ${job.variables.hotel}`),
      });
      engine.createWorker({
        type: 'cancel-flight',
        handler: (job) => void undone.push(`flight ${job.variables.flight}`),
      });
      const ok = await engine.createInstanceWithResult('booking', { card: 'good' });
      assert.equal(ok.variables.paid, true);
      assert.deepEqual(undone, []);
      const failed = await engine.createInstanceWithResult('booking', { card: 'bad' });
      assert.deepEqual(undone, ['flight F1', 'hotel H1']);
      const path = trail(records, failed.processInstanceKey);
      assert.ok(path.indexOf('cancel-hotel:ELEMENT_COMPLETED') < path.indexOf('undo-all:ELEMENT_COMPLETED'));
      assert.ok(path.includes('not-booked:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('an error end event in a called process reaches the error boundary event of the call activity', async () => {
      const child = createProcess('failing-child')
        .startEvent()
        .endEvent('fail', { error: 'CHILD_FAILED' })
        .done();
      const parent = createProcess('caller')
        .startEvent('s')
        .callActivity('call', { processId: 'failing-child' })
        .endEvent('e')
        .moveToNode('call')
        .boundaryEvent('child-failed', { error: 'CHILD_FAILED' })
        .endEvent('handled')
        .done();
      const { engine, records } = await engineWith(child, parent);
      const result = await engine.createInstanceWithResult('caller', {}, { timeout: 2_000 });
      assert.ok(trail(records, result.processInstanceKey).includes('handled:ELEMENT_COMPLETED'));
      await engine.close();
    });

    it('a compensation end event compensates one named activity', async () => {
      const process = createProcess('one')
        .startEvent('s')
        .serviceTask('first', { type: 'work' })
        .boundaryEvent('undo-first', { compensation: true })
        .serviceTask('handle-first', { type: 'undo-first' })
        .moveToNode('first')
        .serviceTask('second', { type: 'work' })
        .boundaryEvent('undo-second', { compensation: true })
        .serviceTask('handle-second', { type: 'undo-second' })
        .moveToNode('second')
        .endEvent('e', { compensation: { activity: 'first' } })
        .done();
      const { engine } = await engineWith(process);
      const handled: string[] = [];
      engine.createWorker({ type: 'work', handler: () => ({}) });
      for (const name of ['undo-first', 'undo-second'])
        engine.createWorker({ type: name, handler: () => void handled.push(name) });
      await engine.createInstanceWithResult('one');
      assert.deepEqual(handled, ['undo-first']);
      await engine.close();
    });
  });
});
