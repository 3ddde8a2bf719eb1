import { useState } from 'preact/hooks';
import { api, fieldErrors, type Answer } from '../api';
import type { SessionAnswer } from '../auth';
import { ErrorBox, Link, TextField, useAction } from '../components/ui';

/** A new password, with the server's rule as a hint and its complaint shown beside it. */
function NewPasswordField(props: { label: string; value: string; onInput: (v: string) => void; error: unknown; testId?: string }) {
  return (
    <TextField
      label={props.label}
      type="password"
      value={props.value}
      onInput={props.onInput}
      required
      autoComplete="new-password"
      hint="At least 10 characters."
      testId={props.testId}
      errors={fieldErrors(props.error, 'password')}
    />
  );
}

export function LoginView({ onSignedIn, expired }: { onSignedIn: (r: SessionAnswer) => void; expired?: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      onSignedIn(await api.post<Answer<'/api/v1/auth/login', 'post'>>('/api/v1/auth/login', { email: email.trim(), password }, { quiet401: true }));
    });
  };
  return (
    <section class="auth-card card" aria-labelledby="login-title">
      <h1 id="login-title">Log in to Rebalance</h1>
      {expired && (
        <p class="notice" role="status">
          Your session ended. Log in again to continue; your drafts are kept on this device.
        </p>
      )}
      <form onSubmit={submit} data-testid="login-form" noValidate>
        <TextField label="Email" type="email" value={email} onInput={setEmail} autoComplete="username" required testId="login-email" name="email" />
        <TextField
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
          testId="login-password"
          name="password"
        />
        <ErrorBox error={error} testId="login-error" />
        <button type="submit" class="btn primary wide" disabled={busy || !email || !password} data-testid="login-submit">
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <details class="forgot" data-testid="forgot-password">
        <summary>Forgot your password?</summary>
        <p>Rebalance sends no email: someone you know makes you a one-time link to choose a new password.</p>
        <ul>
          <li>
            <strong>Clients:</strong> ask your practitioner for a new password link (on your page in their client list).
          </li>
          <li>
            <strong>Practitioners:</strong> ask your clinic's administrator (Administration, Accounts).
          </li>
          <li>
            <strong>The only administrator:</strong> whoever runs the server sets a new one with{' '}
            <code>rebalance user password --email you@example.org</code>.
          </li>
        </ul>
      </details>
      <p class="muted small">
        Clients: use the invitation link your practitioner sent you. First start of a new server? <Link href="/setup">Set up the admin account</Link>.
      </p>
    </section>
  );
}

export function SetupView({ onSignedIn }: { onSignedIn: (r: SessionAnswer) => void }) {
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      onSignedIn(await api.post<Answer<'/api/v1/auth/setup', 'post'>>('/api/v1/auth/setup', { token: token.trim(), email: email.trim(), name: name.trim(), password }));
    });
  };
  return (
    <section class="auth-card card" aria-labelledby="setup-title">
      <h1 id="setup-title">Set up Rebalance</h1>
      <p>
        The server printed a one-time setup token when it first started. Enter it here to create the first administrator account.
      </p>
      <form onSubmit={submit} data-testid="setup-form" noValidate>
        <TextField label="Setup token" value={token} onInput={setToken} required testId="setup-token" errors={fieldErrors(error, 'token')} />
        <TextField label="Your name" value={name} onInput={setName} required autoComplete="name" testId="setup-name" errors={fieldErrors(error, 'name')} />
        <TextField label="Email" type="email" value={email} onInput={setEmail} required autoComplete="username" testId="setup-email" errors={fieldErrors(error, 'email')} />
        <NewPasswordField label="Password" value={password} onInput={setPassword} error={error} testId="setup-password" />
        <ErrorBox error={error} fields={['token', 'name', 'email', 'password']} testId="setup-error" />
        <button type="submit" class="btn primary wide" disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
      <p class="muted small">
        Already set up? <Link href="/login">Log in</Link>.
      </p>
    </section>
  );
}

function tokenFromHash(): string {
  return decodeURIComponent(location.hash.replace(/^#/, ''));
}

export function InviteView({ onSignedIn }: { onSignedIn: (r: SessionAnswer) => void }) {
  const [token] = useState(tokenFromHash);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useAction();
  const mismatch = confirm !== '' && confirm !== password;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    await run(async () => {
      onSignedIn(await api.post<Answer<'/api/v1/auth/accept-invite', 'post'>>('/api/v1/auth/accept-invite', { token, email: email.trim(), password }));
    });
  };
  if (!token)
    return (
      <section class="auth-card card">
        <h1>Invitation link incomplete</h1>
        <p>This address is missing its invitation code. Open the full link from your practitioner's message, or ask them for a new one.</p>
      </section>
    );
  return (
    <section class="auth-card card" aria-labelledby="invite-title">
      <h1 id="invite-title">Welcome to Rebalance</h1>
      <p>Your practitioner invited you. Choose the email and password you will log in with to see your exercise program.</p>
      <form onSubmit={submit} data-testid="invite-form" noValidate>
        <TextField label="Email" type="email" value={email} onInput={setEmail} required autoComplete="username" testId="invite-email" errors={fieldErrors(error, 'email')} />
        <NewPasswordField label="Password" value={password} onInput={setPassword} error={error} testId="invite-password" />
        <TextField
          label="Repeat password"
          type="password"
          value={confirm}
          onInput={setConfirm}
          required
          autoComplete="new-password"
          testId="invite-confirm"
          errors={mismatch ? ['The two passwords differ'] : []}
        />
        <ErrorBox error={error} fields={['email', 'password']} testId="invite-error" />
        <button type="submit" class="btn primary wide" disabled={busy || mismatch || !password} data-testid="invite-submit">
          {busy ? 'Setting up…' : 'Set password and continue'}
        </button>
      </form>
    </section>
  );
}

export function ResetView() {
  const [token] = useState(tokenFromHash);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const mismatch = confirm !== '' && confirm !== password;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    await run(async () => {
      await api.post('/api/v1/auth/reset', { token, password });
      history.replaceState(null, '', '/reset');
      setDone(true);
    });
  };
  if (done)
    return (
      <section class="auth-card card" role="status" data-testid="reset-done">
        <h1>Password changed</h1>
        <p>
          Your new password is set. <Link href="/login">Log in</Link>.
        </p>
      </section>
    );
  return (
    <section class="auth-card card" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      {!token && <p class="notice">This address is missing its reset code. Open the full link you were sent.</p>}
      <form onSubmit={submit} data-testid="reset-form" noValidate>
        <NewPasswordField label="New password" value={password} onInput={setPassword} error={error} testId="reset-password" />
        <TextField
          label="Repeat new password"
          type="password"
          value={confirm}
          onInput={setConfirm}
          required
          autoComplete="new-password"
          testId="reset-confirm"
          errors={mismatch ? ['The two passwords differ'] : []}
        />
        <ErrorBox error={error} fields={['password']} testId="reset-error" />
        <button type="submit" class="btn primary wide" disabled={busy || !token || mismatch || !password} data-testid="reset-submit">
          {busy ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </section>
  );
}
