// Sign in with email and password; staff and customers share the form (the server looks
// staff up first, then customers) and land on their own side of the app.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { Me } from '../api/types';
import { ErrorMessage, Field, useTitle } from './common';

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
    </main>
  );
}
