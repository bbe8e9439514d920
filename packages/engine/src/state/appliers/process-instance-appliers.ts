import type { LoggedEventOf } from '../../records/record.js';
import type { EngineState } from '../engine-state.js';
import { ElementInstance } from '../element-instance.js';

type Record = LoggedEventOf<'PROCESS_INSTANCE'>;

function elementOf(state: EngineState, record: Record) {
  return state.processByKey(record.value.processDefinitionKey)?.executable.elements[record.value.elementId];
}

export function elementActivating(state: EngineState, record: Record): void {
  state.putElementInstance(new ElementInstance(record.key, 'ELEMENT_ACTIVATING', record.value));
  const caller = state.elementInstance(record.value.parentElementInstanceKey);
  if (record.value.flowScopeKey === '-1' && caller) caller.calledChildKey = record.key;
  const flowScope = state.elementInstance(record.value.flowScopeKey);
  if (!flowScope) return;
  flowScope.activeChildren += 1;
  if (flowScope.bpmnElementType === 'MULTI_INSTANCE_BODY') {
    flowScope.innerStarted = (flowScope.innerStarted ?? 0) + 1;
    return;
  }
  // Only an element reached by a sequence flow consumes a token; start, boundary and link catch events and
  // event sub-processes are activated by other means.
  if ((elementOf(state, record)?.incoming.length ?? 0) === 0) return;
  if (
    record.value.bpmnElementType === 'PARALLEL_GATEWAY' ||
    record.value.bpmnElementType === 'INCLUSIVE_GATEWAY'
  ) {
    // A join consumes one token from each incoming flow that has one.
    const taken = flowScope.joinFlows?.[record.value.elementId];
    for (const flowId of elementOf(state, record)?.incoming ?? []) {
      if (taken && (taken[flowId] ?? 0) > 0) {
        taken[flowId] = (taken[flowId] ?? 0) - 1;
        flowScope.activeSequenceFlows -= 1;
      }
    }
    return;
  }
  if (flowScope.activeSequenceFlows > 0) flowScope.activeSequenceFlows -= 1;
}

export function elementStateChanged(state: EngineState, record: Record): void {
  const instance = state.elementInstance(record.key);
  if (!instance) return;
  instance.state = record.intent as typeof instance.state;
}

export function elementEnded(state: EngineState, record: Record): void {
  if (record.value.flowScopeKey === '-1') {
    state.setAwaitedResult(record.key, undefined);
    const caller = state.elementInstance(record.value.parentElementInstanceKey);
    if (caller?.calledChildKey === record.key) caller.calledChildKey = undefined;
  }
  const flowScope = state.elementInstance(record.value.flowScopeKey);
  if (flowScope) flowScope.activeChildren -= 1;
  if (
    flowScope &&
    record.intent === 'ELEMENT_COMPLETED' &&
    elementOf(state, record)?.eventDefinition?.kind === 'terminate'
  ) {
    // A terminate end event ends every path of its scope, including tokens waiting at a join.
    flowScope.terminatedByEndEvent = true;
    for (const taken of Object.values(flowScope.joinFlows ?? {})) {
      for (const count of Object.values(taken)) flowScope.activeSequenceFlows -= count;
    }
    flowScope.joinFlows = undefined;
  }
  if (flowScope?.value.bpmnElementType === 'MULTI_INSTANCE_BODY' && record.intent === 'ELEMENT_COMPLETED') {
    flowScope.innerCompleted = (flowScope.innerCompleted ?? 0) + 1;
  }
  state.removeElementInstance(record.key);
}

export function sequenceFlowTaken(state: EngineState, record: Record): void {
  const flowScope = state.elementInstance(record.value.flowScopeKey);
  if (!flowScope) return;
  flowScope.activeSequenceFlows += 1;
  const executable = state.processByKey(record.value.processDefinitionKey)?.executable;
  const flow = executable?.flows[record.value.elementId];
  const target = flow ? executable!.elements[flow.targetId] : undefined;
  if (flow && (target?.type === 'PARALLEL_GATEWAY' || target?.type === 'INCLUSIVE_GATEWAY')) {
    const joins = (flowScope.joinFlows ??= {});
    const taken = (joins[flow.targetId] ??= {});
    taken[flow.id] = (taken[flow.id] ?? 0) + 1;
  }
}
