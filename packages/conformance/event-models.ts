// Models of the event scenarios: event-based gateway, message boundaries, event sub-processes, terminate, link,
// incidents, multi-instance completion condition, call activity variable propagation.
import {
  boundary,
  catchEvent,
  definitions,
  end,
  gateway,
  processOf,
  scriptTask,
  serviceTask,
  start,
  throwEvent,
  timer,
  chain,
} from './bpmn-xml.js';

const message = (id: string, name: string, correlationKey = '=id') =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${correlationKey}"/></bpmn:extensionElements></bpmn:message>`;

/** A message or a timer, whichever comes first; `path` says which. */
export const EVENT_BASED_GATEWAY = definitions(
  message('approve', 'conformance-approve'),
  processOf(
    'conformance-event-based',
    [
      start(),
      '<bpmn:eventBasedGateway id="first"/>',
      catchEvent('approved', '<bpmn:messageEventDefinition messageRef="approve"/>'),
      catchEvent('timeout', timer('PT0.3S')),
      scriptTask('by-message', '="message"', 'path'),
      scriptTask('by-timer', '="timer"', 'path'),
      end('end-message'),
      end('end-timer'),
    ],
    [
      { from: 'start', to: 'first' },
      { from: 'first', to: 'approved' },
      { from: 'first', to: 'timeout' },
      { from: 'approved', to: 'by-message' },
      { from: 'timeout', to: 'by-timer' },
      { from: 'by-message', to: 'end-message' },
      { from: 'by-timer', to: 'end-timer' },
    ],
  ),
);

/** An interrupting message boundary (cancel) and a non-interrupting one (remind) on a job that waits. */
export const MESSAGE_BOUNDARIES = definitions(
  message('cancel', 'conformance-cancel'),
  message('remind', 'conformance-remind'),
  processOf(
    'conformance-message-boundaries',
    [
      start(),
      serviceTask('work', 'conformance-long-work'),
      boundary('on-cancel', 'work', '<bpmn:messageEventDefinition messageRef="cancel"/>'),
      boundary('on-remind', 'work', '<bpmn:messageEventDefinition messageRef="remind"/>', false),
      scriptTask('canceled', '="canceled"', 'path'),
      scriptTask('reminded', '=true', 'reminded'),
      end('end-done'),
      end('end-canceled'),
      end('end-reminded'),
    ],
    [
      { from: 'start', to: 'work' },
      { from: 'work', to: 'end-done' },
      { from: 'on-cancel', to: 'canceled' },
      { from: 'canceled', to: 'end-canceled' },
      { from: 'on-remind', to: 'reminded' },
      { from: 'reminded', to: 'end-reminded' },
    ],
  ),
);

/** A job, a non-interrupting message event sub-process and an interrupting error event sub-process. */
export const EVENT_SUB_PROCESSES = definitions(
  message('note', 'conformance-note'),
  '<bpmn:error id="fail" name="Fail" errorCode="FAIL"/>',
  processOf(
    'conformance-event-sub-processes',
    [
      start(),
      serviceTask('work', 'conformance-esp-work'),
      end(),
      `<bpmn:subProcess id="on-note" triggeredByEvent="true">
        <bpmn:startEvent id="note-start" isInterrupting="false"><bpmn:messageEventDefinition messageRef="note"/></bpmn:startEvent>
        ${scriptTask('take-note', '=true', 'noted')}${end('note-end')}
        <bpmn:sequenceFlow id="n1" sourceRef="note-start" targetRef="take-note"/><bpmn:sequenceFlow id="n2" sourceRef="take-note" targetRef="note-end"/>
      </bpmn:subProcess>`,
      `<bpmn:subProcess id="on-fail" triggeredByEvent="true">
        <bpmn:startEvent id="fail-start"><bpmn:errorEventDefinition errorRef="fail"/></bpmn:startEvent>
        ${scriptTask('handle', '="handled"', 'path')}${end('fail-end')}
        <bpmn:sequenceFlow id="e1" sourceRef="fail-start" targetRef="handle"/><bpmn:sequenceFlow id="e2" sourceRef="handle" targetRef="fail-end"/>
      </bpmn:subProcess>`,
    ],
    chain('start', 'work', 'end'),
  ),
);

/** One branch waits for a job nobody serves, the other reaches a terminate end event. */
export const TERMINATE = definitions(
  processOf(
    'conformance-terminate',
    [
      start(),
      gateway('parallel', 'fork'),
      serviceTask('never', 'conformance-never-served'),
      scriptTask('mark', '=true', 'terminated'),
      end('end-never'),
      end('stop', '<bpmn:terminateEventDefinition/>'),
    ],
    [
      { from: 'start', to: 'fork' },
      { from: 'fork', to: 'never' },
      { from: 'fork', to: 'mark' },
      { from: 'never', to: 'end-never' },
      { from: 'mark', to: 'stop' },
    ],
  ),
);

export const LINK = definitions(
  processOf(
    'conformance-link',
    [
      start(),
      throwEvent('go-to', '<bpmn:linkEventDefinition name="next"/>'),
      catchEvent('arrive', '<bpmn:linkEventDefinition name="next"/>'),
      scriptTask('mark', '=true', 'linked'),
      end(),
    ],
    [
      { from: 'start', to: 'go-to' },
      { from: 'arrive', to: 'mark' },
      { from: 'mark', to: 'end' },
    ],
  ),
);

/** A job with one retry. */
export const FLAKY = definitions(
  processOf(
    'conformance-flaky',
    [start(), serviceTask('call', 'conformance-flaky'), end()],
    chain('start', 'call', 'end'),
  ),
);

/** Sequential multi-instance that completes after two of three items. */
export const MULTI_INSTANCE_COMPLETION = definitions(
  processOf(
    'conformance-mi-completion',
    [
      start(),
      serviceTask(
        'each',
        'conformance-times-ten-2',
        [],
        `<bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=r"/></bpmn:extensionElements><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>`,
      ),
      end(),
    ],
    chain('start', 'each', 'end'),
  ),
);

/** A call activity that propagates only its output mapping, and passes an input mapping to the child. */
export const CALL_ACTIVITY_MAPPED = definitions(
  processOf(
    'conformance-parent-mapped',
    [
      start(),
      `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="conformance-child-mapped" propagateAllChildVariables="false"/><zeebe:ioMapping><zeebe:input source="=a + 1" target="x"/><zeebe:output source="=y" target="fromChild"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>`,
      end(),
    ],
    chain('start', 'call', 'end'),
  ),
  processOf(
    'conformance-child-mapped',
    [
      start('child-start'),
      scriptTask('square', '=x * x', 'y'),
      scriptTask('other', '=0', 'z'),
      end('child-end'),
    ],
    chain('child-start', 'square', 'other', 'child-end'),
  ),
);

/** A message catch event, then a job: the instance stays active after the message. */
export const MESSAGE_THEN_JOB = definitions(
  message('paid-once', 'conformance-paid-once', '=orderId'),
  processOf(
    'conformance-message-then-job',
    [
      start(),
      catchEvent('paid', '<bpmn:messageEventDefinition messageRef="paid-once"/>'),
      serviceTask('ship', 'conformance-hold'),
      end(),
    ],
    chain('start', 'paid', 'ship', 'end'),
  ),
);
