import { BuilderError } from '../builder-error.js';
import { describeNode, kindOf } from '../elements/element-kinds.js';
import type { FlowModel, NodeModel, ProcessModel, ScopeModel } from '../model/process-model.js';
import { startEventProblems } from './start-events.js';
import type { Problem, ScopeOwner } from './start-events.js';

/**
 * The checks that need the finished graph, sub-processes included. Throws one `BuilderError` listing
 * every problem, so a developer fixes them in one go; `elementId` is the first problem's element.
 */
export function validateProcess(model: ProcessModel): void {
  const problems = scopeProblems(model, { id: model.id, kind: 'process' });
  if (problems.length === 0) return;
  const list = problems.map((p) => p.message).join('; ');
  throw new BuilderError(`process '${model.id}' cannot be built: ${list}`, problems[0].elementId);
}

function scopeProblems(scope: ScopeModel, owner: ScopeOwner): Problem[] {
  const nodes = [...scope.nodes.values()];
  const problems = startEventProblems(nodes, owner);
  // Without a start event every element is unreachable; saying so for each would bury the cause.
  if (!nodes.some((n) => n.kind === 'startEvent')) return problems;
  problems.push(...nodeProblems(scope, nodes));
  problems.push(...unreachable(scope, nodes));
  problems.push(...innerScopeProblems(nodes));
  return problems;
}

/** The inner scopes of sub-processes; an ad-hoc sub-process's elements are started one by one, not by events. */
function innerScopeProblems(nodes: readonly NodeModel[]): Problem[] {
  const problems: Problem[] = [];
  for (const node of nodes) {
    if (node.scope && (node.kind === 'subProcess' || node.kind === 'eventSubProcess')) {
      problems.push(...scopeProblems(node.scope, { id: node.id, kind: node.kind }));
    } else if (node.scope && node.kind === 'adHocSubProcess') {
      const inner = [...node.scope.nodes.values()];
      problems.push(...nodeProblems(node.scope, inner), ...innerScopeProblems(inner));
    }
  }
  return problems;
}

/** The checks of each node of a scope: its outgoing flows, its kind's rules, compensation and links. */
function nodeProblems(scope: ScopeModel, nodes: readonly NodeModel[]): Problem[] {
  const problems: Problem[] = [];
  const outgoing = new Map<string, FlowModel[]>(nodes.map((n) => [n.id, []]));
  for (const flow of scope.flows) outgoing.get(flow.sourceId)!.push(flow);
  for (const node of nodes) {
    const kind = kindOf(node);
    const out = outgoing.get(node.id)!;
    if (kind.requiresOutgoing && out.length === 0) {
      problems.push({ elementId: node.id, message: `${describeNode(node)} has no outgoing sequence flow` });
    }
    const problem = kind.validate?.(node, out, scope);
    if (problem !== undefined) problems.push({ elementId: node.id, message: problem });
    problems.push(...compensationProblems(node, scope), ...linkProblems(node, nodes));
  }
  return problems;
}

function compensationProblems(node: NodeModel, scope: ScopeModel): Problem[] {
  const definition = node.eventDefinition;
  if (definition?.kind !== 'compensation') return [];
  if (node.kind === 'boundaryEvent') {
    if (scope.associations.some((a) => a.sourceId === node.id)) return [];
    return [
      {
        elementId: node.id,
        message:
          `compensation boundary event '${node.id}' has no handler: add the activity that undoes ` +
          `'${node.attachedTo}' right after boundaryEvent('${node.id}', …)`,
      },
    ];
  }
  if (definition.activityId === undefined) return [];
  const activity = scope.nodes.get(definition.activityId);
  if (activity !== undefined && kindOf(activity).isActivity && !activity.isForCompensation) return [];
  return [
    {
      elementId: node.id,
      message: `${describeNode(node)} compensates '${definition.activityId}', which is no activity of its scope`,
    },
  ];
}

function linkProblems(node: NodeModel, nodes: readonly NodeModel[]): Problem[] {
  const definition = node.eventDefinition;
  if (definition?.kind !== 'link') return [];
  const catches = nodes.filter(
    (n) =>
      n.kind === 'intermediateCatchEvent' &&
      n.eventDefinition?.kind === 'link' &&
      n.eventDefinition.name === definition.name,
  );
  if (node.kind === 'intermediateThrowEvent' && catches.length === 0) {
    return [
      {
        elementId: node.id,
        message: `link throw event '${node.id}' jumps to link '${definition.name}', but its scope has no link catch event of that name`,
      },
    ];
  }
  if (node.kind === 'intermediateCatchEvent' && catches.length > 1 && catches[0] !== node) {
    return [
      {
        elementId: node.id,
        message: `several link catch events are named '${definition.name}' (${catches.map((c) => `'${c.id}'`).join(', ')}); a link needs one target`,
      },
    ];
  }
  return [];
}

/**
 * Elements no path reaches. Besides sequence flows, a boundary event is reached through its host, a
 * compensation handler through its association and a link catch event through its link throw events.
 */
function unreachable(scope: ScopeModel, nodes: readonly NodeModel[]): Problem[] {
  const next = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const flow of scope.flows) next.get(flow.sourceId)!.push(flow.targetId);
  for (const association of scope.associations) next.get(association.sourceId)!.push(association.targetId);
  for (const node of nodes) {
    if (node.attachedTo !== undefined) next.get(node.attachedTo)?.push(node.id);
    const definition = node.eventDefinition;
    if (node.kind === 'intermediateThrowEvent' && definition?.kind === 'link') {
      for (const target of nodes) {
        const other = target.eventDefinition;
        if (
          target.kind === 'intermediateCatchEvent' &&
          other?.kind === 'link' &&
          other.name === definition.name
        )
          next.get(node.id)!.push(target.id);
      }
    }
  }
  const entries = nodes.filter((n) => kindOf(n).isEntryPoint).map((n) => n.id);
  const reached = new Set(entries);
  const queue = [...entries];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of next.get(id) ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return nodes
    .filter((node) => !reached.has(node.id))
    .map((node) => ({
      elementId: node.id,
      message: `${kindOf(node).description} '${node.id}' cannot be reached: no path leads to it from a start event`,
    }));
}
