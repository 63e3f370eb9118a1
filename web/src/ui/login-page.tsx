// Sign in with email and password; staff and customers share the form (the server looks
// staff up first, then customers) and land on their own side of the app. Customers may
// instead ask for a one-time link by email; the answer never says whether the address
// has an account.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { InputError } from '../api/errors';
import type { Me } from '../api/types';
import { ErrorMessage, Field, useTitle } from './common';

function LinkRequest({ api, email, setEmail }: { api: ApiClient; email: string; setEmail: (email: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState('');
  return (
    <form class="card login-card" aria-labelledby="link-title" onSubmit={async (event) => {
      event.preventDefault();
      setBusy(true);
      setError(null);
      setSent('');
      try {
        setSent((await api.requestSignInLink(email.trim())).message);
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    }}>
      <h2 id="link-title">Or get a sign-in link by email</h2>
      <p class="hint">We email you a link that signs you in once, within 15 minutes.</p>
      <Field id="link-email" label="Your email">
        <input id="link-email" type="email" autoComplete="email" required
          value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <ErrorMessage error={error} />
      <button type="submit" class="button secondary" disabled={busy}>
        {busy ? 'Sending…' : 'Email me a sign-in link'}
      </button>
      <p class="action-done" role="status">{sent}</p>
    </form>
  );
}

export function LoginPage({ api, onSignedIn }: { api: ApiClient; onSignedIn: (me: Me) => void }) {
  useTitle('Sign in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  useEffect(() => emailInput.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(email.trim(), password));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main id="main" class="login">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Redress</h1>
        <Field id="login-email" label="Email address">
          <input id="login-email" ref={emailInput} type="email" autoComplete="username" required
            value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label="Password">
          <input id="login-password" type="password" autoComplete="current-password" required
            value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <LinkRequest api={api} email={email} setEmail={setEmail} />
    </main>
  );
}

/**
 * /login/link#rdl_...: redeems the secret from the link once. The secret is taken out of
 * the address bar at once, so it stays in neither the history nor a screenshot.
 */
export function LinkSignInPage({ api, onSignedIn }: { api: ApiClient; onSignedIn: (me: Me) => void }) {
  useTitle('Signing in');
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = decodeURIComponent(location.hash.replace(/^#/, ''));
    history.replaceState(history.state, '', location.pathname);
    if (token === '') {
      setError(new InputError('This sign-in link is incomplete. Open the whole link from the email, or ask for a new one below.'));
      return;
    }
    api.redeemSignInLink(token).then(onSignedIn, setError);
  }, [api, onSignedIn]);
  return (
    <main id="main" class="login">
      <div class="card login-card">
        <h1>Sign in with a link</h1>
        {error === null
          ? <p class="loading" role="status">Signing you in…</p>
          : (
            <>
              <ErrorMessage error={error} />
              <p><a href="/login">Go to the sign-in page</a></p>
            </>
          )}
      </div>
    </main>
  );
}
