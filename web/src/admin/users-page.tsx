// Staff accounts and their roles: everyone with their role and level; admins add accounts
// (GET/POST /api/v1/users). Customers are not staff and never appear here.
import { useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import type { NewUser, User } from '../api/types';
import { ErrorMessage, Field, Loading, useTitle } from '../ui/common';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';
import { AdminNav } from './admin-nav';

const ROLE_WORDS: Record<string, string> = {
  agent: 'Agent — works cases',
  supervisor: 'Supervisor — also sees the team’s figures',
  admin: 'Admin — also manages accounts and the matrix',
  mailgate: 'Mail delivery — a mail server handing over inbound email, nothing else',
};

function NewUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { api } = useSession();
  const [form, setForm] = useState<NewUser>({ email: '', name: '', role: 'agent', level: 1, password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const key = useRef<string | null>(null);
  const set = (patch: Partial<NewUser>) => { setForm((f) => ({ ...f, ...patch })); key.current = null; };

  return (
    <form class="panel new-user" aria-labelledby="new-user-title" onSubmit={async (e) => {
      e.preventDefault();
      key.current ??= newIdempotencyKey();
      setBusy(true);
      setError(null);
      setDone('');
      try {
        const user = await api.createUser({
          email: form.email.trim(), name: form.name.trim(), role: form.role, level: form.level,
          ...(form.password ? { password: form.password } : {}),
        }, key.current);
        key.current = null;
        setForm({ email: '', name: '', role: 'agent', level: 1, password: '' });
        setDone(`${user.name} can now sign in.`);
        onCreated(user);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h2 id="new-user-title">Add a staff account</h2>
      <div class="field-grid">
        <Field id="user-name" label="Name">
          <input id="user-name" type="text" required maxLength={200} value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </Field>
        <Field id="user-email" label="Email address">
          <input id="user-email" type="email" required value={form.email} onInput={(e) => set({ email: e.currentTarget.value })} />
        </Field>
        <Field id="user-role" label="Role">
          <select id="user-role" value={form.role} onChange={(e) => set({ role: e.currentTarget.value as NewUser['role'] })}>
            {Object.entries(ROLE_WORDS).map(([role, words]) => <option key={role} value={role}>{words}</option>)}
          </select>
        </Field>
        <Field id="user-level" label="Escalation level" hint="1 is the front line; higher levels receive escalations.">
          <input id="user-level" type="number" min={1} max={9} required value={form.level} aria-describedby="user-level-hint"
            onInput={(e) => set({ level: Number(e.currentTarget.value) })} />
        </Field>
        <Field id="user-password" label="Password (optional)" hint="Without one, the person cannot sign in with a password yet.">
          <input id="user-password" type="password" autoComplete="new-password" value={form.password} aria-describedby="user-password-hint"
            onInput={(e) => set({ password: e.currentTarget.value })} />
        </Field>
      </div>
      <ErrorMessage error={error} />
      <button type="submit" class="button primary" disabled={busy}>{busy ? 'Adding…' : 'Add account'}</button>
      <p class="action-done" role="status">{done}</p>
    </form>
  );
}

export function UsersPage() {
  const { api, me } = useSession();
  useTitle('Users and roles');
  const users = useAsync(() => api.listUsers(), [api]);
  const items = [...(users.data?.items ?? [])].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
  return (
    <div class="admin-page">
      <h1>Administration</h1>
      <AdminNav current="users" />
      <ErrorMessage error={users.error} onRetry={users.reload} />
      {users.loading && !users.data && <Loading what="the staff accounts" />}
      {users.data && (
        <div class="table-scroll">
          <table class="data-table users-table">
            <caption class="visually-hidden">Staff accounts</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Level</th><th scope="col">Active</th></tr></thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id} class={u.active ? '' : 'inactive'}>
                  <th scope="row">{u.name}{u.id === me.id && <span class="hint"> (you)</span>}</th>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.level}</td>
                  <td>{u.active ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {me.role === 'admin' && (
        <NewUserForm onCreated={(user) => users.setData((d) => ({ items: [...(d?.items ?? []), user] }))} />
      )}
    </div>
  );
}
