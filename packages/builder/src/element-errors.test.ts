// Build errors of events, boundary events, sub-processes and the newer gateways and tasks: each names
// the element, at the call that causes it or, for whole-graph problems, in done().
import { describe, it } from 'node:test';
import { createProcess } from './index.js';
import type { IntermediateCatchEventOptions, ReceiveTaskOptions, ScopeBuild } from './index.js';
import { throwsBuilderError } from './test-support.js';

const start = () => createProcess('p').startEvent('s');

describe('build errors of events', () => {
  it('rejects a message catch event or receive task without a correlation key', () => {
    throwsBuilderError(
      () => start().intermediateCatchEvent('paid', { message: { name: 'paid' } }),
      'paid',
      /message catch event 'paid' waits for message 'paid' without a correlationKey/,
    );
    throwsBuilderError(
      () => start().receiveTask('wait', { message: { name: 'm' } }),
      'wait',
      /receive task 'wait' waits for message 'm' without a correlationKey/,
    );
    throwsBuilderError(
      () => start().receiveTask('wait', {} as ReceiveTaskOptions),
      'wait',
      /message name of 'wait'/,
    );
  });

  it('rejects a message start event of an event sub-process without a correlation key', () => {
    throwsBuilderError(
      () =>
        start()
          .endEvent('e')
          .eventSubProcess('esp', (sub) => sub.startEvent('m', { message: 'cancel' }).endEvent('me'))
          .done(),
      'm',
      /message start event 'm' of event sub-process 'esp' needs a correlationKey/,
    );
  });

  it('rejects an event with two definitions, none where one is needed, or one its kind cannot carry', () => {
    throwsBuilderError(
      () => start().intermediateCatchEvent('both', { signal: 'a', link: 'b' }),
      'both',
      /intermediate catch event 'both' has several event definitions \(signal, link\)/,
    );
    throwsBuilderError(
      () => start().intermediateCatchEvent('nothing', {} as IntermediateCatchEventOptions),
      'nothing',
      /needs an event to wait for/,
    );
    throwsBuilderError(
      () => start().intermediateCatchEvent('err', { error: 'X' } as IntermediateCatchEventOptions),
      'err',
      /a error intermediate catch event \('err'\) is not supported/,
    );
  });

  it('rejects invalid timers and a cycle where the timer fires once', () => {
    throwsBuilderError(
      () => start().intermediateCatchEvent('t', { timer: { duration: '10 minutes' } }),
      't',
      /invalid timer duration '10 minutes' of 't': expected an ISO 8601 duration/,
    );
    throwsBuilderError(
      () => start().intermediateCatchEvent('t', { timer: { date: '2030-01-01' } }),
      't',
      /invalid timer date/,
    );
    throwsBuilderError(
      () => start().intermediateCatchEvent('t', { timer: { cycle: 'R3/PT1M' } }),
      't',
      /a timer cycle on intermediate catch event 't' is not allowed/,
    );
    throwsBuilderError(
      () =>
        start()
          .task('a')
          .boundaryEvent('b', { timer: { cycle: 'R/PT1M' } }),
      'b',
      /timer cycle on boundary event 'b' needs interrupting: false/,
    );
  });

  it('rejects an end event throwing an error without a code', () => {
    throwsBuilderError(() => start().endEvent('e', { error: '' }), 'e', /error code of 'e'/);
  });

  it('rejects a link throw event without a catch event of its name', () => {
    throwsBuilderError(
      () => start().intermediateThrowEvent('jump', { link: 'nowhere' }).done(),
      'jump',
      /link throw event 'jump' jumps to link 'nowhere', but its scope has no link catch event/,
    );
  });

  it('rejects start events the scope does not allow', () => {
    throwsBuilderError(
      () => createProcess('p').startEvent('err', { error: 'X' }).endEvent('e').done(),
      'err',
      /a error start event \('err'\) is not allowed in 'p'/,
    );
    throwsBuilderError(
      () => createProcess('p').startEvent('s', { interrupting: false }).endEvent('e').done(),
      's',
      /start event 's' cannot be non-interrupting/,
    );
    throwsBuilderError(
      () =>
        start()
          .subProcess('sub', (sub) => sub.startEvent('t', { signal: 'x' }).endEvent('se'))
          .done(),
      't',
      /a signal start event \('t'\) is not allowed in sub-process 'sub'; allowed: none/,
    );
    throwsBuilderError(
      () =>
        start()
          .eventSubProcess('esp', (sub) => sub.startEvent('plain').endEvent('pe'))
          .done(),
      'plain',
      /a none start event \('plain'\) is not allowed in event sub-process 'esp'/,
    );
  });
});

describe('build errors of boundary events', () => {
  it('rejects a boundary event on something that is not an activity', () => {
    throwsBuilderError(
      () => start().boundaryEvent('b', { timer: { duration: 'PT1M' } }),
      'b',
      /boundary event 'b' cannot be attached to start event 's': only activities/,
    );
    throwsBuilderError(
      () => start().exclusiveGateway('g').boundaryEvent('b', { signal: 'x' }),
      'b',
      /cannot be attached to exclusive gateway 'g'/,
    );
    throwsBuilderError(
      () => start().boundaryEvent('b', { attachedTo: 'missing', signal: 'x' }),
      'b',
      /attached to 'missing', which does not exist in this scope yet/,
    );
  });

  it('rejects a non-interrupting error boundary event and one without an event', () => {
    throwsBuilderError(
      () => start().task('a').boundaryEvent('b', { error: true, interrupting: false }),
      'b',
      /error boundary event 'b' must be interrupting/,
    );
    throwsBuilderError(
      () => start().task('a').boundaryEvent('b', {}),
      'b',
      /boundary event 'b' needs an event/,
    );
  });

  it('rejects a boundary event nothing leaves from', () => {
    throwsBuilderError(
      () => start().task('a').endEvent('e').boundaryEvent('b', { attachedTo: 'a', signal: 'x' }).done(),
      'b',
      /signal boundary event 'b' has no outgoing sequence flow/,
    );
  });

  it('rejects a compensation boundary event without a handler, or with a handler that is no activity', () => {
    throwsBuilderError(
      () =>
        start().task('a').boundaryEvent('undo', { compensation: true }).moveToNode('a').endEvent('e').done(),
      'undo',
      /compensation boundary event 'undo' has no handler: add the activity that undoes 'a'/,
    );
    throwsBuilderError(
      () => start().task('a').boundaryEvent('undo', { compensation: true }).endEvent('e'),
      'undo',
      /compensation boundary event 'undo' is followed by its handler, which must be an activity; got end event 'e'/,
    );
  });

  it('rejects a sequence flow into or out of a compensation handler', () => {
    throwsBuilderError(
      () => start().task('a').boundaryEvent('undo', { compensation: true }).task('redo').task('more'),
      'redo',
      /cannot continue from compensation handler task 'redo'/,
    );
    throwsBuilderError(
      () =>
        start()
          .task('a')
          .boundaryEvent('undo', { compensation: true })
          .task('redo')
          .moveToNode('a')
          .connectTo('redo'),
      'redo',
      /cannot connect 'a' to task 'redo': it takes no incoming flow/,
    );
  });

  it('rejects a compensation throw of an activity that is not in its scope', () => {
    throwsBuilderError(
      () =>
        start()
          .endEvent('e', { compensation: { activity: 'ghost' } })
          .done(),
      'e',
      /compensation end event 'e' compensates 'ghost', which is no activity of its scope/,
    );
  });
});

describe('build errors of sub-processes, gateways and tasks', () => {
  it('checks the flow inside a sub-process and names its elements', () => {
    throwsBuilderError(
      () =>
        start()
          .subProcess('sub', (sub) => sub.task('t').endEvent('te'))
          .endEvent('e')
          .done(),
      'sub',
      /sub-process 'sub' has no start event; it needs a none start event/,
    );
    throwsBuilderError(
      () =>
        start()
          .subProcess('sub', (sub) => sub.task('orphan').startEvent('ss').endEvent('se'))
          .endEvent('e')
          .done(),
      'orphan',
      /task 'orphan' cannot be reached/,
    );
    throwsBuilderError(
      () =>
        start()
          .eventSubProcess('esp', (sub) => sub.task('t'))
          .done(),
      'esp',
      /event sub-process 'esp' has no start event; it needs one with an event definition/,
    );
  });

  it('shares ids across scopes and needs a drawing function', () => {
    throwsBuilderError(
      () => start().subProcess('sub', (sub) => sub.startEvent('s')),
      's',
      /duplicate id 's'/,
    );
    throwsBuilderError(
      () => start().subProcess('sub', undefined as unknown as ScopeBuild),
      'sub',
      /'sub' needs a function that draws its inner flow/,
    );
  });

  it('rejects an event-based gateway with one branch or a branch to something it cannot wait for', () => {
    throwsBuilderError(
      () =>
        start()
          .eventBasedGateway('g')
          .intermediateCatchEvent('t', { timer: { duration: 'PT1M' } })
          .done(),
      'g',
      /event-based gateway 'g' needs at least two outgoing flows/,
    );
    throwsBuilderError(
      () =>
        start()
          .eventBasedGateway('g')
          .intermediateCatchEvent('t', { timer: { duration: 'PT1M' } })
          .moveToNode('g')
          .task('work')
          .done(),
      'g',
      /event-based gateway 'g' may only lead to .*'work' is none of these/,
    );
    throwsBuilderError(
      () => start().eventBasedGateway('g').condition('= x'),
      'g',
      /condition on a flow leaving event-based gateway 'g' is not allowed/,
    );
  });

  it('rejects an inclusive branch with neither a condition nor the default flag', () => {
    throwsBuilderError(
      () => start().inclusiveGateway('g').condition('= a').endEvent('a').moveToNode('g').endEvent('b').done(),
      'g',
      /inclusive gateway 'g' has several outgoing flows, so each needs a condition or must be the default flow; 'Flow_g_b' has neither/,
    );
  });

  it('rejects half an output collection, a rule task that is neither kind, and a call without process id', () => {
    throwsBuilderError(
      () => start().task('t', { multiInstance: { inputCollection: '= xs', outputCollection: 'ys' } }),
      't',
      /multi-instance 't' needs outputCollection and outputElement together/,
    );
    throwsBuilderError(
      () => start().task('t', { multiInstance: { inputCollection: ' ' } }),
      't',
      /input collection of 't'/,
    );
    throwsBuilderError(
      () => start().businessRuleTask('r', {} as { type: string }),
      'r',
      /business rule task 'r' needs either a decisionId \(and resultVariable\) or a job type/,
    );
    throwsBuilderError(
      () => start().callActivity('c', { processId: '' }),
      'c',
      /called process id of 'c' must be a non-empty string/,
    );
  });
});
