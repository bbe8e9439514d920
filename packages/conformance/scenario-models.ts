// Small Camunda 8 models, one per element kind, written for the conformance scenarios (XML as Modeler writes it,
// without the diagram: Zeebe does not need one).

/** A sequence flow: from, to, and an optional FEEL condition; `id` when a gateway names it as its default. */
interface Flow {
  readonly from: string;
  readonly to: string;
  readonly when?: string;
  readonly id?: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A `bpmn:definitions` document: root elements (messages, errors …) and processes. */
export const definitions = (...parts: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="conformance" targetNamespace="https://baton.dev/conformance">
${parts.join('\n')}
</bpmn:definitions>`;

/** An executable process from its flow nodes and sequence flows (ids f1, f2 … unless given). */
export function processOf(id: string, nodes: readonly string[], flows: readonly Flow[]): string {
  const sequenceFlows = flows.map((flow, i) => {
    const condition = flow.when
      ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escape(flow.when)}</bpmn:conditionExpression>`
      : '';
    return `<bpmn:sequenceFlow id="${flow.id ?? `${id}-f${i + 1}`}" sourceRef="${flow.from}" targetRef="${flow.to}">${condition}</bpmn:sequenceFlow>`;
  });
  return `<bpmn:process id="${id}" isExecutable="true">\n${[...nodes, ...sequenceFlows].join('\n')}\n</bpmn:process>`;
}

const extensions = (...inner: string[]) =>
  inner.length ? `<bpmn:extensionElements>${inner.join('')}</bpmn:extensionElements>` : '';

/** `zeebe:ioMapping` from `[source, target]` pairs. */
export const io = (inputs: [string, string][], outputs: [string, string][] = []) =>
  `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${escape(s)}" target="${t}"/>`).join('')}${outputs
    .map(([s, t]) => `<zeebe:output source="${escape(s)}" target="${t}"/>`)
    .join('')}</zeebe:ioMapping>`;

export const start = (id = 'start', definition = '') =>
  `<bpmn:startEvent id="${id}">${definition}</bpmn:startEvent>`;
export const end = (id = 'end', definition = '') => `<bpmn:endEvent id="${id}">${definition}</bpmn:endEvent>`;

/** A service task creating jobs of `type`; `more` are further extension elements, `inner` child elements. */
export const serviceTask = (id: string, type: string, more: string[] = [], inner = '', attributes = '') =>
  `<bpmn:serviceTask id="${id}"${attributes}>${extensions(`<zeebe:taskDefinition type="${type}"/>`, ...more)}${inner}</bpmn:serviceTask>`;

/** A FEEL script task: `resultVariable := expression`. */
export const scriptTask = (id: string, expression: string, resultVariable: string, inner = '') =>
  `<bpmn:scriptTask id="${id}">${extensions(`<zeebe:script expression="${escape(expression)}" resultVariable="${resultVariable}"/>`)}${inner}</bpmn:scriptTask>`;

export const gateway = (kind: 'exclusive' | 'parallel' | 'inclusive', id: string, defaultFlow?: string) =>
  `<bpmn:${kind}Gateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''}/>`;

export const catchEvent = (id: string, definition: string) =>
  `<bpmn:intermediateCatchEvent id="${id}">${definition}</bpmn:intermediateCatchEvent>`;

export const throwEvent = (id: string, definition: string) =>
  `<bpmn:intermediateThrowEvent id="${id}">${definition}</bpmn:intermediateThrowEvent>`;

export const boundary = (id: string, attachedTo: string, definition: string, interrupting = true) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}"${interrupting ? '' : ' cancelActivity="false"'}>${definition}</bpmn:boundaryEvent>`;

export const timer = (duration: string) =>
  `<bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

/** A multi-instance marker: `results` collects `outputElement` of each `item` of `items`. */
export const multiInstance = (sequential: boolean) =>
  `<bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}">${extensions(
    '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=r"/>',
  )}</bpmn:multiInstanceLoopCharacteristics>`;

// The scenarios' models.

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
    [
      { from: 'start', to: 'add' },
      { from: 'add', to: 'end' },
    ],
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
    [
      { from: 'start', to: 'wait' },
      { from: 'wait', to: 'end' },
    ],
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
    [
      { from: 'start', to: 'sub' },
      { from: 'sub', to: 'end' },
    ],
  ),
);

/** A multi-instance service task whose worker answers `r = item * 10`. */
export const multiInstanceJobs = (sequential: boolean) =>
  definitions(
    processOf(
      `conformance-mi-${sequential ? 'sequential' : 'parallel'}`,
      [start(), serviceTask('each', 'conformance-times-ten', [], multiInstance(sequential)), end()],
      [
        { from: 'start', to: 'each' },
        { from: 'each', to: 'end' },
      ],
    ),
  );

/** The multi-instance script task of issue 13 item 1. */
export const MULTI_INSTANCE_SCRIPT = definitions(
  processOf(
    'conformance-mi-script',
    [start(), scriptTask('each', '=item * 10', 'r', multiInstance(false)), end()],
    [
      { from: 'start', to: 'each' },
      { from: 'each', to: 'end' },
    ],
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
    [
      { from: 'start', to: 'call' },
      { from: 'call', to: 'end' },
    ],
  ),
  processOf(
    'conformance-child',
    [start('child-start'), scriptTask('double', '=a * 2', 'y'), end('child-end')],
    [
      { from: 'child-start', to: 'double' },
      { from: 'double', to: 'child-end' },
    ],
  ),
);

/** A job-based user task (no `zeebe:userTask`): a job of type io.camunda.zeebe:userTask. */
export const JOB_BASED_USER_TASK = definitions(
  processOf(
    'conformance-user-task',
    [
      start(),
      `<bpmn:userTask id="approve">${extensions(
        '<zeebe:assignmentDefinition assignee="demo" candidateGroups="finance, audit"/>',
      )}</bpmn:userTask>`,
      end(),
    ],
    [
      { from: 'start', to: 'approve' },
      { from: 'approve', to: 'end' },
    ],
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
    [
      { from: 'start', to: 'price' },
      { from: 'price', to: 'end' },
    ],
  ),
);

/** A signal catch event, and a process started by another signal whose job shows the signal's variables. */
export const SIGNALS = definitions(
  '<bpmn:signal id="go" name="conformance-go"/><bpmn:signal id="kick-off" name="conformance-kick-off"/>',
  processOf(
    'conformance-signal-catch',
    [start(), catchEvent('wait', '<bpmn:signalEventDefinition signalRef="go"/>'), end()],
    [
      { from: 'start', to: 'wait' },
      { from: 'wait', to: 'end' },
    ],
  ),
  processOf(
    'conformance-signal-start',
    [
      start('on-signal', '<bpmn:signalEventDefinition signalRef="kick-off"/>'),
      serviceTask('report', 'conformance-signal-started'),
      end('report-end'),
    ],
    [
      { from: 'on-signal', to: 'report' },
      { from: 'report', to: 'report-end' },
    ],
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
    [
      { from: 'start', to: 'book' },
      { from: 'book', to: 'end' },
    ],
  ),
);
