import { useState } from 'react';
import type { CalledInstance } from '../api/called-instances';
import { Link } from '../router';
import { StateBadge } from './common';

/**
 * Drawn on a call activity of the diagram: a link to the instance it called (the most recent call), and when it
 * called several (a loop, a multi-instance), a small chooser listing them all.
 */
export function CalledInstanceLinks({
  elementName,
  instances,
}: {
  elementName: string;
  instances: readonly CalledInstance[];
}) {
  const [open, setOpen] = useState(false);
  const [latest] = instances;
  if (!latest) return null;
  const several = instances.length > 1;
  return (
    <div className="called-links" data-element-id={latest.elementId}>
      <Link
        to={`/instances/${latest.key}`}
        className="called-link"
        title={`Open called instance ${latest.bpmnProcessId} ${latest.key}${several ? ' (the most recent call)' : ''}`}
        aria-label={`Open called instance ${latest.key} of ${elementName}`}
      >
        ↗
      </Link>
      {several ? (
        <button
          type="button"
          className="called-chooser"
          aria-expanded={open}
          aria-label={`Choose one of the ${instances.length} instances called by ${elementName}`}
          title={`${instances.length} called instances`}
          onClick={() => setOpen((o) => !o)}
        >
          {instances.length} ▾
        </button>
      ) : null}
      {several && open ? (
        <ul className="called-menu" aria-label={`Instances called by ${elementName}`}>
          {instances.map((i) => (
            <li key={i.key}>
              <Link to={`/instances/${i.key}`}>
                {i.bpmnProcessId} {i.key}
              </Link>{' '}
              <StateBadge state={i.state} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
