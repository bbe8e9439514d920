// Small Camunda 8 models, one per element kind, written for the conformance scenarios.
import {
  definitions,
  processOf,
  io,
  start,
  end,
  serviceTask,
  scriptTask,
  gateway,
  catchEvent,
  throwEvent,
  boundary,
  timer,
  multiInstance,
  extensions,
  chain,
} from './bpmn-xml.js';

/** Input mappings feed the worker, the output mapping alone leaves the task. */
export const SERVICE_TASK = definitions(
  processOf(
    'conformance-service-task',
    [
      start(),
      serviceTask('add', 'conformance-add', [
        '<zeebe:taskHeaders><zeebe:header key="operation" value="add"/></zeebe:taskHeaders>',
        io(
          [
            ['=a', 'x'],
            ['=b', 'y'],
          ],
          [['=sum', 'total']],
        ),
      ]),
      end(),
    ],
    chain('start', 'add', 'end'),
  ),
);

/** `path` says which way the exclusive gateway went. */
export const EXCLUSIVE_GATEWAY = definitions(
  processOf(
    'conformance-exclusive',
    [
      start(),
      gateway('exclusive', 'size', 'to-small'),
      scriptTask('big', '="big"', 'path'),
      scriptTask('small', '="small"', 'path'),
      end('end-big'),
      end('end-small'),
    ],
    [
      { from: 'start', to: 'size' },
      { from: 'size', to: 'big', when: '=amount > 100' },
      { from: 'size', to: 'small', id: 'to-small' },
      { from: 'big', to: 'end-big' },
      { from: 'small', to: 'end-small' },
    ],
  ),
);

export const PARALLEL_GATEWAY = definitions(
  processOf(
    'conformance-parallel',
    [
      start(),
      gateway('parallel', 'fork'),
      scriptTask('one', '=1', 'a'),
      scriptTask('two', '=2', 'b'),
      gateway('parallel', 'join'),
      scriptTask('add', '=a + b', 'sum'),
      end(),
    ],
    [
      { from: 'start', to: 'fork' },
      { from: 'fork', to: 'one' },
      { from: 'fork', to: 'two' },
      { from: 'one', to: 'join' },
      { from: 'two', to: 'join' },
      { from: 'join', to: 'add' },
      { from: 'add', to: 'end' },
    ],
  ),
);

/** x = 3 takes the first two flows; the join waits for both (and only those). */
export const INCLUSIVE_GATEWAY = definitions(
  processOf(
    'conformance-inclusive',
    [
      start(),
      gateway('inclusive', 'fork'),
      scriptTask('one', '="a"', 'a'),
      scriptTask('two', '="b"', 'b'),
      scriptTask('three', '="c"', 'c'),
      gateway('inclusive', 'join'),
      scriptTask('after', '=count([a, b])', 'joined'),
      end(),
    ],
    [
      { from: 'start', to: 'fork' },
      { from: 'fork', to: 'one', when: '=x > 1' },
      { from: 'fork', to: 'two', when: '=x > 2' },
      { from: 'fork', to: 'three', when: '=x > 10' },
      { from: 'one', to: 'join' },
      { from: 'two', to: 'join' },
      { from: 'three', to: 'join' },
      { from: 'join', to: 'after' },
      { from: 'after', to: 'end' },
    ],
  ),
);

/** A timer catch event, and an interrupting timer boundary on a task no worker serves. */
export const TIMERS = definitions(
  processOf(
    'conformance-timer',
    [
      start(),
      catchEvent('wait', timer('PT0.2S')),
      serviceTask('unserved', 'conformance-nobody'),
      boundary('too-late', 'unserved', timer('PT0.2S')),
      scriptTask('timed-out', '="timeout"', 'path'),
      end('end-served'),
      end('end-timeout'),
    ],
    [
      { from: 'start', to: 'wait' },
      { from: 'wait', to: 'unserved' },
      { from: 'unserved', to: 'end-served' },
      { from: 'too-late', to: 'timed-out' },
      { from: 'timed-out', to: 'end-timeout' },
    ],
  ),
);

export const MESSAGE_CATCH = definitions(
  `<bpmn:message id="paid" name="conformance-paid">${extensions('<zeebe:subscription correlationKey="=orderId"/>')}</bpmn:message>`,
  processOf(
    'conformance-message',
    [start(), catchEvent('wait', '<bpmn:messageEventDefinition messageRef="paid"/>'), end()],
    chain('start', 'wait', 'end'),
  ),
);

/** An error boundary for `DECLINED`, and a catch-all error boundary (no error reference) on a second task. */
export const ERROR_BOUNDARY = definitions(
  '<bpmn:error id="declined" name="Declined" errorCode="DECLINED"/>',
  processOf(
    'conformance-error',
    [
      start(),
      serviceTask('charge', 'conformance-charge'),
      boundary('on-declined', 'charge', '<bpmn:errorEventDefinition errorRef="declined"/>'),
      serviceTask('ship', 'conformance-ship'),
      boundary('on-any-error', 'ship', '<bpmn:errorEventDefinition/>'),
      scriptTask('note-declined', '="declined"', 'path'),
      scriptTask('note-any', '="any error"', 'path'),
      end('end-ok'),
      end('end-declined'),
      end('end-any'),
    ],
    [
      { from: 'start', to: 'charge' },
      { from: 'charge', to: 'ship' },
      { from: 'ship', to: 'end-ok' },
      { from: 'on-declined', to: 'note-declined' },
      { from: 'note-declined', to: 'end-declined' },
      { from: 'on-any-error', to: 'note-any' },
      { from: 'note-any', to: 'end-any' },
    ],
  ),
);

/** `local` lives in the sub-process only; the script's result reaches the process. */
export const SUB_PROCESS = definitions(
  processOf(
    'conformance-sub-process',
    [
      start(),
      `<bpmn:subProcess id="sub">${extensions(io([['=base + 1', 'local']]))}
        ${start('sub-start')}${scriptTask('inner', '=local * 10', 'inner')}${end('sub-end')}
        <bpmn:sequenceFlow id="s1" sourceRef="sub-start" targetRef="inner"/><bpmn:sequenceFlow id="s2" sourceRef="inner" targetRef="sub-end"/>
      </bpmn:subProcess>`,
      end(),
    ],
    chain('start', 'sub', 'end'),
  ),
);

/** A multi-instance service task whose worker answers `r = item * 10`. */
export const multiInstanceJobs = (sequential: boolean) =>
  definitions(
    processOf(
      `conformance-mi-${sequential ? 'sequential' : 'parallel'}`,
      [start(), serviceTask('each', 'conformance-times-ten', [], multiInstance(sequential)), end()],
      chain('start', 'each', 'end'),
    ),
  );

/** The multi-instance script task of issue 13 item 1. */
export const MULTI_INSTANCE_SCRIPT = definitions(
  processOf(
    'conformance-mi-script',
    [start(), scriptTask('each', '=item * 10', 'r', multiInstance(false)), end()],
    chain('start', 'each', 'end'),
  ),
);

export const CALL_ACTIVITY = definitions(
  processOf(
    'conformance-parent',
    [
      start(),
      `<bpmn:callActivity id="call">${extensions('<zeebe:calledElement processId="conformance-child"/>')}</bpmn:callActivity>`,
      end(),
    ],
    chain('start', 'call', 'end'),
  ),
  processOf(
    'conformance-child',
    [start('child-start'), scriptTask('double', '=a * 2', 'y'), end('child-end')],
    chain('child-start', 'double', 'child-end'),
  ),
);

/**
 * A job-based user task (no `zeebe:userTask`): a job of type io.camunda.zeebe:userTask. With `taskDefinition`,
 * it also carries a `zeebe:taskDefinition`, as Modeler 5 left on some (Camunda's absence-request tutorial): Zeebe's
 * user task transformer ignores it.
 */
export const jobBasedUserTask = (id: string, taskDefinition = false) =>
  definitions(
    processOf(
      id,
      [
        start(),
        `<bpmn:userTask id="approve">${extensions(
          '<zeebe:assignmentDefinition assignee="demo" candidateGroups="finance, audit"/>',
          taskDefinition ? '<zeebe:taskDefinition type="test-worker" retries="1"/>' : '',
        )}</bpmn:userTask>`,
        end(),
      ],
      chain('start', 'approve', 'end'),
    ),
  );

/** A decision table (hit policy FIRST): gold 0.2, silver 0.1, anyone else 0. */
export const DISCOUNT_DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="conformance-discounts" name="Discounts" namespace="https://baton.dev/conformance">
  <decision id="conformance-discount" name="Discount">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="in-customer" label="Customer"><inputExpression id="in-customer-expr" typeRef="string"><text>customer</text></inputExpression></input>
      <output id="out-discount" name="discount" typeRef="number"/>
      <rule id="gold"><inputEntry id="gold-in"><text>"gold"</text></inputEntry><outputEntry id="gold-out"><text>0.2</text></outputEntry></rule>
      <rule id="silver"><inputEntry id="silver-in"><text>"silver"</text></inputEntry><outputEntry id="silver-out"><text>0.1</text></outputEntry></rule>
      <rule id="anyone"><inputEntry id="anyone-in"><text>-</text></inputEntry><outputEntry id="anyone-out"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

export const BUSINESS_RULE_TASK = definitions(
  processOf(
    'conformance-business-rule',
    [
      start(),
      `<bpmn:businessRuleTask id="price">${extensions(
        '<zeebe:calledDecision decisionId="conformance-discount" resultVariable="discount"/>',
      )}</bpmn:businessRuleTask>`,
      end(),
    ],
    chain('start', 'price', 'end'),
  ),
);

/** A signal catch event, and a process started by another signal whose job shows the signal's variables. */
export const SIGNALS = definitions(
  '<bpmn:signal id="go" name="conformance-go"/><bpmn:signal id="kick-off" name="conformance-kick-off"/>',
  processOf(
    'conformance-signal-catch',
    [start(), catchEvent('wait', '<bpmn:signalEventDefinition signalRef="go"/>'), end()],
    chain('start', 'wait', 'end'),
  ),
  processOf(
    'conformance-signal-start',
    [
      start('on-signal', '<bpmn:signalEventDefinition signalRef="kick-off"/>'),
      serviceTask('report', 'conformance-signal-started'),
      end('report-end'),
    ],
    chain('on-signal', 'report', 'report-end'),
  ),
);

/** An escalation thrown in a sub-process, caught by a non-interrupting boundary: both paths go on. */
export const ESCALATION = definitions(
  '<bpmn:escalation id="late" name="Late" escalationCode="LATE"/>',
  processOf(
    'conformance-escalation',
    [
      start(),
      `<bpmn:subProcess id="sub">
        ${start('sub-start')}${throwEvent('raise', '<bpmn:escalationEventDefinition escalationRef="late"/>')}${scriptTask('go-on', '=true', 'continued')}${end('sub-end')}
        <bpmn:sequenceFlow id="s1" sourceRef="sub-start" targetRef="raise"/><bpmn:sequenceFlow id="s2" sourceRef="raise" targetRef="go-on"/><bpmn:sequenceFlow id="s3" sourceRef="go-on" targetRef="sub-end"/>
      </bpmn:subProcess>`,
      boundary('on-late', 'sub', '<bpmn:escalationEventDefinition escalationRef="late"/>', false),
      scriptTask('handle', '=true', 'escalated'),
      end(),
      end('end-escalated'),
    ],
    [
      { from: 'start', to: 'sub' },
      { from: 'sub', to: 'end' },
      { from: 'on-late', to: 'handle' },
      { from: 'handle', to: 'end-escalated' },
    ],
  ),
);

/** Book, then a compensation end event: the booking's compensation handler (a refund job) runs. */
export const COMPENSATION = definitions(
  processOf(
    'conformance-compensation',
    [
      start(),
      serviceTask('book', 'conformance-book'),
      boundary('undo-book', 'book', '<bpmn:compensateEventDefinition/>'),
      serviceTask('refund', 'conformance-refund', [], '', ' isForCompensation="true"'),
      end('end', '<bpmn:compensateEventDefinition/>'),
      '<bpmn:association id="undo" associationDirection="One" sourceRef="undo-book" targetRef="refund"/>',
    ],
    chain('start', 'book', 'end'),
  ),
);

/**
 * FEEL values of several types, each in its own variable, as Zeebe serializes them to JSON. (No variable is named
 * like a built-in function: see FEEL_SHADOWING.)
 */
export const FEEL_VALUES: Record<string, [expression: string, json: unknown]> = {
  nextDay: ['=date("2024-01-01") + duration("P1D")', '2024-01-02'],
  dayTime: ['=duration("PT1H")', 'PT1H'],
  yearMonth: ['=duration("P1Y2M")', 'P1Y2M'],
  clock: ['=time("10:00:00")', '10:00:00'],
  utc: ['=date and time("2024-01-01T10:00:00Z")', '2024-01-01T10:00:00Z'],
  local: ['=date and time("2024-01-01T10:00:00")', '2024-01-01T10:00:00'],
  between: ['=date("2024-03-01") - date("2024-01-01")', 'P60D'],
  integer: ['=2 * 3', 6],
  decimal: ['=10 / 4', 2.5],
  record: ['={a: 1, b: [1, "x", null]}', { a: 1, b: [1, 'x', null] }],
  filtered: ['=[1, 2, 3][item > 1]', [2, 3]],
  inRange: ['=5 in [1..10]', true],
};

/** Variables named `date` and `time` (common in real models), then the built-ins of those names called. */
export const FEEL_SHADOWING = definitions(
  processOf(
    'conformance-feel-shadowing',
    [
      start(),
      scriptTask('call-date', '=date("2024-01-01")', 'day'),
      scriptTask('call-date-and-time', '=date and time("2024-01-01T10:00:00Z")', 'moment'),
      end(),
    ],
    chain('start', 'call-date', 'call-date-and-time', 'end'),
  ),
);

/** One script task per FEEL value, in a row. */
export const FEEL = definitions(
  processOf(
    'conformance-feel',
    [
      start(),
      ...Object.entries(FEEL_VALUES).map(([id, [expression]]) => scriptTask(id, expression, id)),
      end(),
    ],
    chain('start', ...Object.keys(FEEL_VALUES), 'end'),
  ),
);
