import type { ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';

/** An error the user should see: announced by screen readers (role=alert), with the server's code. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {notFound && !title ? <strong>Not found: </strong> : null}
      {messageOf(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

const STATE_CLASS: Record<string, string> = {
  ACTIVE: 'badge-active',
  ACTIVATED: 'badge-active',
  ACTIVATING: 'badge-active',
  COMPLETING: 'badge-active',
  TERMINATING: 'badge-terminated',
  COMPLETED: 'badge-completed',
  TERMINATED: 'badge-terminated',
  OPEN: 'badge-incident',
  RESOLVED: 'badge-completed',
  INCIDENT: 'badge-incident',
};

export function StateBadge({ state }: { state: string }) {
  const plain = state.replace(/^ELEMENT_/, '');
  return <span className={`badge ${STATE_CLASS[plain] ?? ''}`}>{plain}</span>;
}

export function Section({
  title,
  children,
  actions,
  id,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  id?: string;
}) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

/** Previous / next paging with the position, for `{ total, page, pageSize }` answers. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  label,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {Math.min(page, pages)} of {pages} ({total} in all)
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
