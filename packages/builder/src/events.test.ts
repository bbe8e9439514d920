// Events with definitions: the XML re-parses with the zeebe descriptor without warnings and carries
// what the engine (and Zeebe) read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { createProcess } from './index.js';
import type { ProcessBuilder } from './index.js';
import {
  assertFullyDrawn,
  element,
  eventDefinition,
  extension,
  mappings,
  parseStrict,
  rootElement,
} from './test-support.js';
import type { ParsedXml } from './test-support.js';

async function parsed(builder: ProcessBuilder): Promise<ParsedXml> {
  const result = await parseStrict(await builder.toXml());
  assertFullyDrawn(result);
  return result;
}

const ref = (value: unknown) => (value as ModdleObject | undefined)?.id;

describe('start events', () => {
  it('emits timer, message and signal start events; a message start event needs no correlation key', async () => {
    const xml = await parsed(
      createProcess('starts')
        .startEvent('hourly', { timer: { cycle: 'R/PT1H' } })
        .endEvent('e1')
        .startEvent('on-order', { message: 'order-placed', outputs: [{ source: '= order', target: 'o' }] })
        .endEvent('e2')
        .startEvent('on-signal', { signal: 'go' })
        .endEvent('e3')
        .startEvent('at', { timer: { date: '= startAt' } }),
    );
    const hourly = eventDefinition(xml, 'hourly');
    assert.equal(hourly.$type, 'bpmn:TimerEventDefinition');
    assert.equal((hourly.timeCycle as ModdleObject).body, 'R/PT1H');
    assert.equal((eventDefinition(xml, 'at').timeDate as ModdleObject).body, '= startAt');
    const message = eventDefinition(xml, 'on-order');
    assert.equal(message.$type, 'bpmn:MessageEventDefinition');
    assert.equal(ref(message.messageRef), 'Message_order-placed');
    const root = rootElement(xml, 'Message_order-placed');
    assert.equal(root.name, 'order-placed');
    assert.equal(root.extensionElements, undefined, 'no zeebe:subscription without a key');
    assert.deepEqual(mappings(extension(element(xml, 'on-order'), 'zeebe:IoMapping')?.outputParameters), [
      { source: '= order', target: 'o' },
    ]);
    const signal = eventDefinition(xml, 'on-signal');
    assert.equal(rootElement(xml, ref(signal.signalRef) as string).name, 'go');
  });
});

describe('intermediate catch events', () => {
  it('emits a message catch event with its message, name and zeebe:subscription correlation key', async () => {
    const xml = await parsed(
      createProcess('catch')
        .startEvent('s')
        .intermediateCatchEvent('paid', { message: { name: 'paid', correlationKey: '= orderId' } })
        .intermediateCatchEvent('paid-again', { message: { name: 'paid', correlationKey: '= orderId' } })
        .intermediateCatchEvent('refunded', { message: { name: 'paid', correlationKey: '= refundId' } })
        .endEvent('e'),
    );
    const message = rootElement(xml, 'Message_paid');
    assert.equal(extension(message, 'zeebe:Subscription')?.correlationKey, '= orderId');
    assert.equal(
      ref(eventDefinition(xml, 'paid-again').messageRef),
      'Message_paid',
      'one message per name and key',
    );
    const other = rootElement(xml, ref(eventDefinition(xml, 'refunded').messageRef) as string);
    assert.equal(other.id, 'Message_paid_2');
    assert.equal(extension(other, 'zeebe:Subscription')?.correlationKey, '= refundId');
  });

  it('emits timer, signal and link catch events', async () => {
    const xml = await parsed(
      createProcess('waits')
        .startEvent('s')
        .intermediateCatchEvent('wait', { timer: { duration: 'PT5M' } })
        .intermediateCatchEvent('until', { timer: { date: '2030-01-01T10:00:00Z' } })
        .intermediateCatchEvent('go', { signal: '= "go-" + region' })
        .intermediateThrowEvent('jump', { link: 'next' })
        .intermediateCatchEvent('land', { link: 'next' })
        .endEvent('e'),
    );
    assert.equal((eventDefinition(xml, 'wait').timeDuration as ModdleObject).body, 'PT5M');
    assert.equal((eventDefinition(xml, 'until').timeDate as ModdleObject).body, '2030-01-01T10:00:00Z');
    assert.equal(
      rootElement(xml, ref(eventDefinition(xml, 'go').signalRef) as string).name,
      '= "go-" + region',
    );
    assert.equal(eventDefinition(xml, 'jump').$type, 'bpmn:LinkEventDefinition');
    assert.equal(eventDefinition(xml, 'jump').name, 'next');
    assert.equal(eventDefinition(xml, 'land').name, 'next');
    assert.equal(element(xml, 'jump').outgoing, undefined, 'a link throw has no outgoing flow');
    assert.equal(element(xml, 'land').incoming, undefined, 'a link catch has no incoming flow');
  });
});

describe('intermediate throw and end events', () => {
  it('emits none, signal, escalation, compensation and message (job) throw events', async () => {
    const xml = await parsed(
      createProcess('throws')
        .startEvent('s')
        .serviceTask('work', { type: 'work' })
        .boundaryEvent('undo', { compensation: true })
        .serviceTask('undo-work', { type: 'undo' })
        .moveToNode('work')
        .intermediateThrowEvent('milestone', { name: 'Half way' })
        .intermediateThrowEvent('shout', { signal: 'shout' })
        .intermediateThrowEvent('too-big', { escalation: 'BIG' })
        .intermediateThrowEvent('undo-work-now', { compensation: { activity: 'work' } })
        .intermediateThrowEvent('tell', {
          message: { type: 'tell', retries: 2, headers: { channel: 'mail' } },
          inputs: [{ source: '= order', target: 'payload' }],
        })
        .endEvent('e'),
    );
    assert.equal(element(xml, 'milestone').eventDefinitions, undefined);
    assert.equal(rootElement(xml, ref(eventDefinition(xml, 'shout').signalRef) as string).name, 'shout');
    const escalation = rootElement(xml, ref(eventDefinition(xml, 'too-big').escalationRef) as string);
    assert.equal(escalation.escalationCode, 'BIG');
    assert.equal(ref(eventDefinition(xml, 'undo-work-now').activityRef), 'work');
    const tell = element(xml, 'tell');
    const definition = eventDefinition(xml, 'tell');
    assert.equal(definition.$type, 'bpmn:MessageEventDefinition');
    assert.equal(definition.messageRef, undefined, 'a message throw event is a job; Zeebe needs no message');
    assert.equal(extension(tell, 'zeebe:TaskDefinition')?.type, 'tell');
    assert.equal(extension(tell, 'zeebe:TaskDefinition')?.retries, '2');
    assert.equal((extension(tell, 'zeebe:TaskHeaders')?.values as ModdleObject[])[0].value, 'mail');
    assert.deepEqual(mappings(extension(tell, 'zeebe:IoMapping')?.inputParameters), [
      { source: '= order', target: 'payload' },
    ]);
  });

  it('emits error, escalation, terminate, signal, compensation and message end events', async () => {
    const xml = await parsed(
      createProcess('ends')
        .startEvent('s')
        .exclusiveGateway('how')
        .condition('= a')
        .endEvent('error', { error: 'FAILED' })
        .moveToNode('how')
        .condition('= b')
        .endEvent('escalation', { escalation: 'LATE' })
        .moveToNode('how')
        .condition('= c')
        .endEvent('terminate', { terminate: true })
        .moveToNode('how')
        .condition('= d')
        .endEvent('signal', { signal: 'finished' })
        .moveToNode('how')
        .condition('= e')
        .endEvent('compensate', { compensation: true })
        .moveToNode('how')
        .defaultFlow()
        .endEvent('message', { message: { type: 'send-receipt' } }),
    );
    const error = rootElement(xml, ref(eventDefinition(xml, 'error').errorRef) as string);
    assert.equal(error.$type, 'bpmn:Error');
    assert.equal(error.errorCode, 'FAILED');
    assert.equal(rootElement(xml, 'Escalation_LATE').escalationCode, 'LATE');
    assert.equal(eventDefinition(xml, 'terminate').$type, 'bpmn:TerminateEventDefinition');
    assert.equal(rootElement(xml, 'Signal_finished').name, 'finished');
    assert.equal(eventDefinition(xml, 'compensate').$type, 'bpmn:CompensateEventDefinition');
    assert.equal(eventDefinition(xml, 'compensate').activityRef, undefined);
    assert.equal(extension(element(xml, 'message'), 'zeebe:TaskDefinition')?.type, 'send-receipt');
  });
});

describe('boundary events', () => {
  it('attaches timer, message, signal, error and escalation events, interrupting or not', async () => {
    const xml = await parsed(
      createProcess('guarded')
        .startEvent('s')
        .serviceTask('work', { type: 'work' })
        .endEvent('e')
        .moveToNode('work')
        .boundaryEvent('late', { timer: { duration: 'PT1H' } })
        .endEvent('timed-out')
        .boundaryEvent('remind', { attachedTo: 'work', timer: { cycle: 'R3/PT10M' }, interrupting: false })
        .endEvent('reminded')
        .boundaryEvent('cancel', { attachedTo: 'work', message: { name: 'cancel', correlationKey: '= id' } })
        .endEvent('cancelled')
        .boundaryEvent('stop', {
          attachedTo: 'work',
          signal: 'stop',
          outputs: [{ source: '= why', target: 'reason' }],
        })
        .endEvent('stopped')
        .boundaryEvent('failed', { attachedTo: 'work', error: 'FAILED' })
        .endEvent('failed-end')
        .boundaryEvent('any', { attachedTo: 'work', error: true })
        .endEvent('any-end')
        .boundaryEvent('escalated', { attachedTo: 'work', escalation: true, interrupting: false })
        .endEvent('escalated-end'),
    );
    for (const id of ['late', 'remind', 'cancel', 'stop', 'failed', 'any', 'escalated']) {
      const boundary = element(xml, id);
      assert.equal(boundary.$type, 'bpmn:BoundaryEvent');
      assert.equal(ref(boundary.attachedToRef), 'work', `'${id}' is attached to 'work'`);
    }
    assert.equal(element(xml, 'late').cancelActivity, true);
    assert.equal(element(xml, 'remind').cancelActivity, false);
    assert.equal(element(xml, 'escalated').cancelActivity, false);
    assert.equal((eventDefinition(xml, 'remind').timeCycle as ModdleObject).body, 'R3/PT10M');
    assert.equal(extension(rootElement(xml, 'Message_cancel'), 'zeebe:Subscription')?.correlationKey, '= id');
    assert.equal(ref(eventDefinition(xml, 'failed').errorRef), 'Error_FAILED');
    assert.equal(eventDefinition(xml, 'any').errorRef, undefined, 'a catch-all error event has no errorRef');
    assert.equal(eventDefinition(xml, 'escalated').escalationRef, undefined);
    assert.deepEqual(mappings(extension(element(xml, 'stop'), 'zeebe:IoMapping')?.outputParameters), [
      { source: '= why', target: 'reason' },
    ]);
    assert.equal(ref((element(xml, 'timed-out').incoming as ModdleObject[])[0].sourceRef), 'late');
  });

  it('links a compensation boundary event to its handler by an association', async () => {
    const xml = await parsed(
      createProcess('saga')
        .startEvent('s')
        .serviceTask('charge', { type: 'charge' })
        .boundaryEvent('undo-charge', { compensation: true })
        .serviceTask('refund', { type: 'refund' })
        .moveToNode('charge')
        .endEvent('e'),
    );
    assert.equal(eventDefinition(xml, 'undo-charge').$type, 'bpmn:CompensateEventDefinition');
    assert.equal(element(xml, 'undo-charge').outgoing, undefined);
    const refund = element(xml, 'refund');
    assert.equal(refund.isForCompensation, true);
    assert.equal(refund.incoming, undefined);
    assert.equal(refund.outgoing, undefined);
    const association = element(xml, 'Association_undo-charge_refund');
    assert.equal(association.$type, 'bpmn:Association');
    assert.equal(ref(association.sourceRef), 'undo-charge');
    assert.equal(ref(association.targetRef), 'refund');
    assert.equal(ref((element(xml, 'charge').outgoing as ModdleObject[])[0].targetRef), 'e');
  });
});

describe('root element ids', () => {
  it('derives ids from names and skips ids the model already uses', async () => {
    const xml = await parsed(
      createProcess('ids')
        .startEvent('s')
        .task('Signal_go')
        .intermediateThrowEvent('t', { signal: 'go' })
        .intermediateThrowEvent('u', { signal: 'order placed!' })
        .endEvent('e'),
    );
    assert.equal(ref(eventDefinition(xml, 't').signalRef), 'Signal_go_2');
    assert.equal(ref(eventDefinition(xml, 'u').signalRef), 'Signal_order_placed');
  });
});
