import { useState } from 'react';
import type { Incident } from '../api/types';
import { retryIncident } from '../api/operations';
import { messageOf } from '../api/client';

/**
 * Retries one incident (job retries first when it came from a job, then resolve) and says how it went
 * next to the button: an already-resolved incident, for example, shows the server's refusal.
 */
export function RetryButton({
  incident,
  label,
  resolved = false,
  onDone,
}: {
  incident: Pick<Incident, 'key' | 'jobKey' | 'elementId'>;
  label?: string;
  /** Resolved incidents get no button; the outcome of a retry made here stays visible. */
  resolved?: boolean;
  onDone?: () => void;
}) {
  const [state, setState] = useState<{ busy?: boolean; ok?: boolean; error?: string }>({});
  if (resolved && !state.ok && !state.error) return null;
  const retry = async () => {
    setState({ busy: true });
    try {
      await retryIncident(incident);
      setState({ ok: true });
      onDone?.();
    } catch (error) {
      setState({ error: messageOf(error) });
    }
  };
  return (
    <span className="retry">
      {resolved ? null : (
        <button
          type="button"
          onClick={() => void retry()}
          disabled={state.busy}
          aria-label={label ?? `Retry incident ${incident.key} on ${incident.elementId}`}
        >
          {state.busy ? 'Retrying…' : 'Retry'}
        </button>
      )}
      {state.ok ? (
        <span role="status" className="success">
          Retried
        </span>
      ) : null}
      {state.error ? (
        <span role="alert" className="error inline">
          Retry failed: {state.error}
        </span>
      ) : null}
    </span>
  );
}
