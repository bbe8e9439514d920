/**
 * The event definition an event carries, as plain data. Messages, signals, errors and escalations are
 * kept by name or code here; the `bpmn:message` (…) root elements they reference are derived when the
 * XML is emitted (emit/root-elements.ts), one per distinct definition.
 */
export type EventDefinitionModel =
  | TimerDefinitionModel
  | MessageDefinitionModel
  | SignalDefinitionModel
  | ErrorDefinitionModel
  | EscalationDefinitionModel
  | TerminateDefinitionModel
  | LinkDefinitionModel
  | CompensationDefinitionModel;

/** `<bpmn:timerEventDefinition>` with one of `timeDuration`, `timeDate`, `timeCycle`. */
export interface TimerDefinitionModel {
  readonly kind: 'timer';
  readonly timer: 'duration' | 'date' | 'cycle';
  /** ISO 8601 (or cron for a cycle), or a FEEL expression with its leading `=`. */
  readonly value: string;
}

/**
 * A message a catch event, start event or receive task waits for. Without a correlation key only where
 * nothing is to correlate with: a process's message start event.
 */
export interface MessageModel {
  readonly name: string;
  readonly correlationKey?: string;
}

/**
 * `<bpmn:messageEventDefinition>`. On a catch or start event `message` says what to wait for; on a
 * throw or end event (a job, like Zeebe) there is no message, only the job in the node's extensions.
 */
export interface MessageDefinitionModel {
  readonly kind: 'message';
  readonly message?: MessageModel;
}

/** `<bpmn:signalEventDefinition signalRef>`; the name may be a FEEL expression. */
export interface SignalDefinitionModel {
  readonly kind: 'signal';
  readonly name: string;
}

/** `<bpmn:errorEventDefinition errorRef>`; without a code it catches every error. */
export interface ErrorDefinitionModel {
  readonly kind: 'error';
  readonly code?: string;
}

/** `<bpmn:escalationEventDefinition escalationRef>`; without a code it catches every escalation. */
export interface EscalationDefinitionModel {
  readonly kind: 'escalation';
  readonly code?: string;
}

export interface TerminateDefinitionModel {
  readonly kind: 'terminate';
}

/** `<bpmn:linkEventDefinition name>`: a throw jumps to the catch of the same name in its scope. */
export interface LinkDefinitionModel {
  readonly kind: 'link';
  readonly name: string;
}

/** `<bpmn:compensateEventDefinition activityRef>`; without an activity, everything of the scope. */
export interface CompensationDefinitionModel {
  readonly kind: 'compensation';
  readonly activityId?: string;
}

/** What each kind of event definition is called in messages: "timer", "message" … */
export type EventDefinitionKind = EventDefinitionModel['kind'];
