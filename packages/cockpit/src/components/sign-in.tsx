import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, errorOf, messageOf, setApiKey } from '../api/client';

/**
 * Asks for an API key when the server answered 401. The key is checked against the server before it is kept
 * (in sessionStorage: it is gone when the tab closes) and sent as a bearer token on every call.
 */
export function SignIn() {
  const inputId = useId();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError(new Error('Enter the API key this Baton server was started with (--api-key).'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch('/v2/topology', {
        headers: { authorization: `Bearer ${candidate}`, accept: 'application/json' },
      });
      if (response.status === 401) throw new ApiError(401, 'UNAUTHENTICATED', 'This API key is not valid.');
      if (!response.ok) throw await errorOf(response);
      setApiKey(candidate);
    } catch (err) {
      setError(err instanceof TypeError ? new Error('Cannot reach the Baton server.') : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-backdrop">
      <form className="sign-in card" onSubmit={(e) => void submit(e)} aria-labelledby={`${inputId}-title`}>
        <h1 id={`${inputId}-title`}>Sign in to Baton</h1>
        <p>This server requires an API key. It is kept in this browser tab only.</p>
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoFocus
        />
        {error ? (
          <div className="error" role="alert">
            {messageOf(error)}
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
