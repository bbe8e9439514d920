import type { NodeModel } from '../model/process-model.js';

/** One thing wrong with the graph, about one element. */
export interface Problem {
  readonly elementId: string;
  readonly message: string;
}

/** The container whose flow is checked: the process or a sub-process. */
export interface ScopeOwner {
  readonly id: string;
  readonly kind: 'process' | 'subProcess' | 'eventSubProcess';
}

/** Which start events each container may have: Zeebe's rules. */
const ALLOWED: Readonly<Record<ScopeOwner['kind'], readonly string[]>> = {
  process: ['none', 'timer', 'message', 'signal'],
  subProcess: ['none'],
  eventSubProcess: ['timer', 'message', 'signal', 'error', 'escalation', 'compensation'],
};

/**
 * The start events of a scope: a process has at least one and at most one none start event; an
 * embedded sub-process exactly one none start event; an event sub-process exactly one with an event
 * definition, whose message needs a correlation key and whose error start is interrupting.
 */
export function startEventProblems(nodes: readonly NodeModel[], owner: ScopeOwner): Problem[] {
  const starts = nodes.filter((n) => n.kind === 'startEvent');
  const where = owner.kind === 'process' ? `'${owner.id}'` : describeOwner(owner);
  if (starts.length === 0) {
    const needed = {
      process: '',
      subProcess: '; it needs a none start event',
      eventSubProcess: '; it needs one with an event definition',
    }[owner.kind];
    return [{ elementId: owner.id, message: `${where} has no start event${needed}` }];
  }
  const problems: Problem[] = [];
  const list = (events: readonly NodeModel[]) => events.map((s) => `'${s.id}'`).join(', ');
  const none = starts.filter((s) => s.eventDefinition === undefined);
  if (owner.kind === 'process' && none.length > 1) {
    problems.push({
      elementId: none[1].id,
      message: `'${owner.id}' has several none start events (${list(none)}); Zeebe allows one`,
    });
  }
  if (owner.kind !== 'process' && starts.length > 1) {
    problems.push({
      elementId: starts[1].id,
      message: `${where} has several start events (${list(starts)}); it may have one`,
    });
  }
  for (const start of starts) {
    const kind = start.eventDefinition?.kind ?? 'none';
    if (!ALLOWED[owner.kind].includes(kind)) {
      problems.push({
        elementId: start.id,
        message:
          `a ${kind} start event ('${start.id}') is not allowed in ${where}; ` +
          `allowed: ${ALLOWED[owner.kind].join(', ')}`,
      });
    }
    const nonInterrupting = start.attributes?.isInterrupting === false;
    if (nonInterrupting && (owner.kind !== 'eventSubProcess' || kind === 'error')) {
      problems.push({
        elementId: start.id,
        message:
          kind === 'error'
            ? `error start event '${start.id}' must be interrupting`
            : `start event '${start.id}' cannot be non-interrupting: only the start event of an event sub-process can`,
      });
    }
    const message = start.eventDefinition?.kind === 'message' ? start.eventDefinition.message : undefined;
    if (owner.kind === 'eventSubProcess' && message && message.correlationKey === undefined) {
      problems.push({
        elementId: start.id,
        message:
          `message start event '${start.id}' of ${where} needs a correlationKey: it waits for a message ` +
          `to this instance`,
      });
    }
  }
  return problems;
}

function describeOwner(owner: ScopeOwner): string {
  return `${owner.kind === 'subProcess' ? 'sub-process' : 'event sub-process'} '${owner.id}'`;
}
