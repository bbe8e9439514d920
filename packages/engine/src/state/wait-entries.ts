import type { TimerRecordValue } from '../records/timer.js';
import type { MessageSubscriptionRecordValue } from '../records/message.js';
import type { SignalSubscriptionRecordValue } from '../records/signal.js';
import { NO_VARIABLES } from '../records/variable.js';

/** What every wait's record value holds: whom it belongs to and the event it triggers. */
type OwnedWaitValue = Pick<
  TimerRecordValue,
  'elementInstanceKey' | 'processInstanceKey' | 'processDefinitionKey' | 'bpmnProcessId' | 'targetElementId'
>;

/** What timers and subscriptions share, kept flat on each. */
abstract class OwnedWait {
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly targetElementId: string;
  /** The next wait of the same owner (the owner holds the first: `ElementInstance.waits`). */
  nextOwned: Wait | undefined = undefined;

  constructor(
    readonly key: string,
    value: OwnedWaitValue,
  ) {
    this.elementInstanceKey = value.elementInstanceKey;
    this.processInstanceKey = value.processInstanceKey;
    this.processDefinitionKey = value.processDefinitionKey;
    this.bpmnProcessId = value.bpmnProcessId;
    this.targetElementId = value.targetElementId;
  }
}

/**
 * What the state keeps of a timer: its record value's fields, flat. No wrapper and no value object per
 * waiting timer (a million waiting instances made those a quarter of the working state); `value` builds the
 * record value when a processor writes one.
 */
export class Timer extends OwnedWait {
  readonly dueDate: number;
  readonly repetitions: number;
  readonly cycle: string;

  constructor(key: string, value: TimerRecordValue) {
    super(key, value);
    this.dueDate = value.dueDate;
    this.repetitions = value.repetitions;
    this.cycle = value.cycle;
  }

  get value(): TimerRecordValue {
    return {
      elementInstanceKey: this.elementInstanceKey,
      processInstanceKey: this.processInstanceKey,
      processDefinitionKey: this.processDefinitionKey,
      bpmnProcessId: this.bpmnProcessId,
      targetElementId: this.targetElementId,
      dueDate: this.dueDate,
      repetitions: this.repetitions,
      cycle: this.cycle,
    };
  }
}

/** An open message subscription, its record value's fields flat (see `Timer`), without a message. */
export class MessageSubscription extends OwnedWait {
  readonly messageName: string;
  readonly correlationKey: string;
  readonly interrupting: boolean;

  constructor(key: string, value: MessageSubscriptionRecordValue) {
    super(key, value);
    this.messageName = value.messageName;
    this.correlationKey = value.correlationKey;
    this.interrupting = value.interrupting;
  }

  get value(): MessageSubscriptionRecordValue {
    return {
      elementInstanceKey: this.elementInstanceKey,
      processInstanceKey: this.processInstanceKey,
      processDefinitionKey: this.processDefinitionKey,
      bpmnProcessId: this.bpmnProcessId,
      targetElementId: this.targetElementId,
      messageName: this.messageName,
      correlationKey: this.correlationKey,
      interrupting: this.interrupting,
      // An open subscription has no message yet: a correlation writes its own.
      messageKey: '-1',
      variables: NO_VARIABLES,
    };
  }
}

/** An open signal subscription, its record value's fields flat (see `Timer`). */
export class SignalSubscription extends OwnedWait {
  readonly signalName: string;
  readonly interrupting: boolean;

  constructor(key: string, value: SignalSubscriptionRecordValue) {
    super(key, value);
    this.signalName = value.signalName;
    this.interrupting = value.interrupting;
  }

  get value(): SignalSubscriptionRecordValue {
    return {
      elementInstanceKey: this.elementInstanceKey,
      processInstanceKey: this.processInstanceKey,
      processDefinitionKey: this.processDefinitionKey,
      bpmnProcessId: this.bpmnProcessId,
      targetElementId: this.targetElementId,
      signalName: this.signalName,
      interrupting: this.interrupting,
    };
  }
}

/** Something an element instance waits for. */
export type Wait = Timer | MessageSubscription | SignalSubscription;
