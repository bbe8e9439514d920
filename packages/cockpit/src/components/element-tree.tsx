import type { ElementInstance } from '../api/types';
import { elementState, formatDuration, formatTime } from '../format';
import { StateBadge } from './common';

interface Node {
  readonly element: ElementInstance;
  readonly children: Node[];
}

/** Element instances nested by their flow scope; roots are those whose scope is the process instance. */
export function buildTree(instanceKey: string, elements: readonly ElementInstance[]): Node[] {
  const own = elements.filter((e) => e.elementType !== 'PROCESS' && e.key !== instanceKey);
  const keys = new Set(own.map((e) => e.key));
  const byScope = new Map<string, ElementInstance[]>();
  for (const e of own) {
    const scope = keys.has(e.flowScopeKey) ? e.flowScopeKey : instanceKey;
    const list = byScope.get(scope) ?? [];
    list.push(e);
    byScope.set(scope, list);
  }
  const build = (scope: string, seen: Set<string>): Node[] =>
    (byScope.get(scope) ?? [])
      .filter((e) => !seen.has(e.key))
      .map((e) => ({ element: e, children: build(e.key, new Set([...seen, e.key])) }));
  return build(instanceKey, new Set());
}

/**
 * The element-instance history as a tree (by flowScopeKey) with start and end times. Selecting an entry
 * highlights it on the diagram and in the variables.
 */
export function ElementTree({
  instanceKey,
  elements,
  names,
  selected,
  onSelect,
}: {
  instanceKey: string;
  elements: readonly ElementInstance[];
  names: ReadonlyMap<string, string>;
  selected: string | undefined;
  onSelect: (elementInstanceKey: string | undefined) => void;
}) {
  const roots = buildTree(instanceKey, elements);
  const render = (nodes: Node[]) => (
    <ul>
      {nodes.map(({ element: e, children }) => {
        const label = names.get(e.elementId) ?? e.elementId;
        const isSelected = selected === e.key;
        return (
          <li key={e.key} data-element-id={e.elementId} data-state={elementState(e.state)}>
            <button
              type="button"
              className={`tree-item${isSelected ? ' selected' : ''}`}
              aria-pressed={isSelected}
              onClick={() => onSelect(isSelected ? undefined : e.key)}
            >
              <span className="tree-name">{label}</span>
              <span className="tree-type">{e.elementType.toLowerCase().replace(/_/g, ' ')}</span>
              <StateBadge state={e.state} />
              <span className="tree-time" title={`key ${e.key}`}>
                {formatTime(e.startTime)} → {e.endTime ? formatTime(e.endTime) : '…'} (
                {formatDuration(e.startTime, e.endTime)})
              </span>
            </button>
            {children.length > 0 ? render(children) : null}
          </li>
        );
      })}
    </ul>
  );
  return (
    <div className="tree" role="group" aria-label="Element instance history">
      {roots.length === 0 ? <p className="muted">No element has been entered yet.</p> : render(roots)}
    </div>
  );
}
