import { Component, useEffect, useState } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { apiKey, onAuthNeeded, setApiKey } from './api/client';
import { SignIn } from './components/sign-in';
import { LiveProvider, useConnectionState } from './live';
import { Link, match, useLocation } from './router';
import { DashboardView } from './views/dashboard-view';
import { ProcessesView } from './views/processes-view';
import { ProcessView } from './views/process-view';
import { InstanceView } from './views/instance-view';
import { InstancesView } from './views/instances-view';
import { IncidentsView } from './views/incidents-view';

const NAV = [
  { to: '/', label: 'Dashboard' },
  { to: '/processes', label: 'Processes' },
  { to: '/instances', label: 'Instances' },
  { to: '/incidents', label: 'Incidents' },
] as const;

function ConnectionIndicator() {
  const state = useConnectionState();
  const text = { live: 'Live', connecting: 'Connecting…', offline: 'Offline, reconnecting…' }[state];
  return (
    <span className={`connection connection-${state}`} role="status" aria-label={`Live updates: ${text}`}>
      {text}
    </span>
  );
}

function Page() {
  const { path } = useLocation();
  let params: Record<string, string> | undefined;
  if (path === '/') return <DashboardView />;
  if (path === '/processes') return <ProcessesView />;
  if ((params = match('/processes/:key', path))) return <ProcessView definitionKey={params.key!} />;
  if (path === '/instances') return <InstancesView />;
  if ((params = match('/instances/:key', path))) return <InstanceView instanceKey={params.key!} />;
  if (path === '/incidents') return <IncidentsView />;
  return (
    <div className="card">
      <h1>Page not found</h1>
      <p role="alert">
        There is no page at <code>{path}</code>. <Link to="/">Go to the dashboard</Link>.
      </p>
    </div>
  );
}

/** Catches rendering bugs so that the user sees a message and a way back, never a blank page. */
class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('cockpit view failed', error, info.componentStack);
  }

  override render() {
    if (this.state.error)
      return (
        <div className="card error" role="alert">
          <h1>This view failed</h1>
          <p>{this.state.error.message}</p>
          <button type="button" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
        </div>
      );
    return this.props.children;
  }
}

export function App() {
  const { path } = useLocation();
  const [needsSignIn, setNeedsSignIn] = useState(false);
  useEffect(() => onAuthNeeded(setNeedsSignIn), []);
  const signedIn = apiKey() !== undefined;
  const section = path === '/' ? '/' : '/' + path.split('/')[1];

  return (
    <LiveProvider>
      <header className="top">
        <Link to="/" className="brand">
          Baton <span>Cockpit</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={section === item.to ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <ConnectionIndicator />
        {signedIn ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setApiKey(undefined);
              window.location.reload();
            }}
          >
            Forget API key
          </button>
        ) : null}
      </header>
      <main>
        <ErrorBoundary resetKey={path}>
          <Page />
        </ErrorBoundary>
      </main>
      {needsSignIn ? <SignIn /> : null}
    </LiveProvider>
  );
}
