import { BuilderError } from '../builder-error.js';
import { elementKinds } from '../elements/element-kinds.js';
import type { FlowModel, ProcessModel, ScopeModel } from '../model/process-model.js';

interface Problem {
  readonly elementId: string;
  readonly message: string;
}

/**
 * The checks that need the finished graph. Throws one `BuilderError` listing every problem, so a
 * developer fixes them in one go; `elementId` is the first problem's element.
 */
export function validateProcess(model: ProcessModel): void {
  const problems = scopeProblems(model, model.id);
  if (problems.length === 0) return;
  const list = problems.map((p) => p.message).join('; ');
  throw new BuilderError(`process '${model.id}' cannot be built: ${list}`, problems[0].elementId);
}

function scopeProblems(scope: ScopeModel, ownerId: string): Problem[] {
  const nodes = [...scope.nodes.values()];
  const starts = nodes.filter((n) => n.kind === 'startEvent');
  if (starts.length === 0) {
    // Without a start event every element is unreachable; saying so for each would bury the cause.
    return [{ elementId: ownerId, message: `'${ownerId}' has no start event` }];
  }
  const problems: Problem[] = [];
  if (starts.length > 1) {
    problems.push({
      elementId: starts[1].id,
      message: `'${ownerId}' has several none start events (${starts.map((s) => `'${s.id}'`).join(', ')}); Zeebe allows one`,
    });
  }
  const outgoing = new Map<string, FlowModel[]>(nodes.map((n) => [n.id, []]));
  for (const flow of scope.flows) outgoing.get(flow.sourceId)!.push(flow);

  for (const node of nodes) {
    const kind = elementKinds[node.kind];
    const out = outgoing.get(node.id)!;
    if (kind.requiresOutgoing && out.length === 0) {
      problems.push({
        elementId: node.id,
        message: `${kind.description} '${node.id}' has no outgoing sequence flow`,
      });
    }
    const problem = kind.validate?.(node, out);
    if (problem !== undefined) problems.push({ elementId: node.id, message: problem });
  }

  const reached = reachableFrom(
    nodes.filter((n) => elementKinds[n.kind].isEntryPoint).map((n) => n.id),
    outgoing,
  );
  for (const node of nodes) {
    if (!reached.has(node.id)) {
      problems.push({
        elementId: node.id,
        message: `${elementKinds[node.kind].description} '${node.id}' cannot be reached: no path leads to it from a start event`,
      });
    }
  }
  return problems;
}

function reachableFrom(entries: string[], outgoing: Map<string, FlowModel[]>): Set<string> {
  const reached = new Set(entries);
  const queue = [...entries];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const flow of outgoing.get(id) ?? []) {
      if (!reached.has(flow.targetId)) {
        reached.add(flow.targetId);
        queue.push(flow.targetId);
      }
    }
  }
  return reached;
}
