import { useState } from 'preact/hooks';
import { api, fieldErrors, type Answer } from '../api';
import { CopyButton, ErrorBox, Loading, SelectField, TableScroll, TextField, formatTimestamp, useAction, useAsync } from '../components/ui';
import type { Account, User } from '../types';

/** The fields of the new-account form that show their own errors. */
const USER_FIELDS = ['name', 'email', 'password', 'role'] as const;

export function AdminView() {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'practitioner' | 'admin'>('practitioner');
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<User[]>([]);
  const audit = useAsync(() => api.get<Answer<'/api/v1/audit'>>('/api/v1/audit').then((r) => r.entries), []);
  const users = useAsync(() => api.get<{ users: Account[] }>('/api/v1/users').then((r) => r.users), []);

  const err = (field: string) => fieldErrors(error, field);

  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      const u = await api.post<Answer<'/api/v1/users', 'post'>>('/api/v1/users', { email: email.trim(), name: name.trim(), password, role });
      setCreated((c) => [u, ...c]);
      users.reload();
      setEmail('');
      setName('');
      setPassword('');
      audit.reload();
    });
  };

  const recent = (audit.data ?? []).slice(-100).reverse();
  return (
    <div class="stack">
      <h1>Administration</h1>
      <section class="card" aria-labelledby="new-account">
        <h2 id="new-account">Create a practitioner account</h2>
        <form onSubmit={submit} data-testid="create-user-form" class="grid-2" noValidate>
          <TextField label="Name" value={name} onInput={setName} required errors={err('name')} testId="user-name" />
          <TextField label="Email" type="email" value={email} onInput={setEmail} required errors={err('email')} testId="user-email" />
          <TextField
            label="Initial password"
            type="password"
            value={password}
            onInput={setPassword}
            required
            autoComplete="new-password"
            hint="At least 10 characters; share it privately."
            errors={err('password')}
            testId="user-password"
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(v) => setRole(v as 'practitioner' | 'admin')}
            options={[
              { value: 'practitioner', label: 'Practitioner' },
              { value: 'admin', label: 'Administrator' },
            ]}
            errors={err('role')}
          />
          <div class="span-2">
            <ErrorBox error={error} fields={USER_FIELDS} testId="user-error" />
            <button type="submit" class="btn primary" disabled={busy} data-testid="user-submit">
              {busy ? 'Creating…' : 'Create account'}
            </button>
          </div>
        </form>
        {created.length > 0 && (
          <div role="status" class="notice ok">
            <p>Created:</p>
            <ul>
              {created.map((u) => (
                <li key={u.id}>
                  {u.name} ({u.email}), {u.role}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="accounts-title">
        <div class="row-between">
          <h2 id="accounts-title">Accounts</h2>
          <button type="button" class="btn secondary small" onClick={users.reload}>
            Refresh
          </button>
        </div>
        <p class="muted small">
          Someone who forgot their password gets a one-time link from here; it works once, for a limited time, and ends the account's
          sessions when used. Send it privately. Practitioners can also make one for their own clients.
        </p>
        {users.loading && !users.data && <Loading label="Loading accounts…" />}
        <ErrorBox error={users.error} onRetry={users.reload} />
        {users.data && (
          <ul class="account-list" data-testid="users-table" aria-label="Accounts, oldest first">
            {users.data.map((u) => (
              <li key={u.id} class="account-row" data-testid="user-row" data-email={u.email}>
                <div class="account-who">
                  <strong>{u.name}</strong>
                  <span class="muted small">
                    {u.email} · {ROLE_NAMES[u.role] ?? u.role} · since {formatTimestamp(u.created_at)}
                    {!u.has_password && ' · no password set'}
                  </span>
                </div>
                <ResetLink account={u} onIssued={audit.reload} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" aria-labelledby="audit-title">
        <div class="row-between">
          <h2 id="audit-title">Recent audit entries</h2>
          <button type="button" class="btn secondary small" onClick={audit.reload}>
            Refresh
          </button>
        </div>
        {audit.loading && !audit.data && <Loading />}
        <ErrorBox error={audit.error} onRetry={audit.reload} />
        {audit.data && recent.length === 0 && <p class="muted">No entries yet.</p>}
        {recent.length > 0 && (
          <TableScroll label="Audit trail">
            <table data-testid="audit-table">
              <caption class="visually-hidden">Audit trail, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Client</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((e) => (
                  <tr key={e.id}>
                    <td>{formatTimestamp(e.at)}</td>
                    <td class="mono">{e.user_id}</td>
                    <td>{e.action}</td>
                    <td>
                      {e.resource} <span class="mono muted">{e.resource_id}</span>
                    </td>
                    <td class="mono">{e.client_id || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </div>
  );
}

const ROLE_NAMES: Record<string, string> = { admin: 'Administrator', practitioner: 'Practitioner', client: 'Client' };

/** A one-time password link for an account, shown once with a copy button. */
function ResetLink({ account, onIssued }: { account: Account; onIssued: () => void }) {
  const { busy, error, run } = useAction();
  const [link, setLink] = useState<{ link: string; expires_at: number } | null>(null);
  const issue = () =>
    run(async () => {
      setLink(await api.post<Answer<'/api/v1/users/{id}/password-reset', 'post'>>(`/api/v1/users/${account.id}/password-reset`));
      onIssued();
    });
  return (
    <div class="account-reset">
      <button
        type="button"
        class="btn secondary small"
        onClick={issue}
        disabled={busy}
        aria-label={`New password link for ${account.name}`}
        data-testid="user-reset"
      >
        {busy ? 'Creating link…' : 'New password link'}
      </button>
      <ErrorBox error={error} />
      {link && (
        <div role="status" data-testid="user-reset-link">
          <div class="invite-link">
            <input readOnly value={link.link} aria-label={`Password link for ${account.name}`} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
            <CopyButton text={link.link} />
          </div>
          <span class="muted small">Works once, until {formatTimestamp(link.expires_at)}</span>
        </div>
      )}
    </div>
  );
}
