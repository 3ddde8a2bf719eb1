import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, fieldErrors, type Answer } from '../api';
import { CopyButton, ErrorBox, Link, Loading, Meter, TextField, formatDate, useAction, useAsync } from '../components/ui';
import { percentText } from '../lib/adherence';
import type { Client, InviteLink } from '../types';

export function AdherenceCell({ client }: { client: Client }) {
  const a = client.adherence;
  if (a === undefined) return <span class="muted">—</span>;
  if (a === null) return <span class="muted">No program yet</span>;
  const pct = a.consistency_percent;
  const tone = pct === null ? 'ok' : pct >= 80 ? 'ok' : pct >= 50 ? 'warn' : 'bad';
  return (
    <div class="adherence-cell">
      <div class="adherence-figures">
        <strong>{pct === null ? 'nothing due yet' : percentText(pct)}</strong>
        <span>
          streak {a.current_streak}
        </span>
        <span class={a.missed_sessions > 0 ? 'warn-text' : ''}>{a.missed_sessions} missed</span>
      </div>
      <Meter
        value={pct ?? 0}
        max={100}
        tone={tone}
        label={`Consistency ${pct === null ? 'not yet measured' : percentText(pct)}, current streak ${a.current_streak}, ${a.missed_sessions} missed sessions`}
      />
      {a.latest_log ? (
        <span class="small" data-testid="client-latest-log">
          <span class="muted">last log {formatDate(a.latest_log.date)}</span>
          {a.latest_log.skipped > 0 && (
            <span class="warn-text">
              {' · '}
              {a.latest_log.skipped} skipped
            </span>
          )}
          {a.latest_log.note && (
            <>
              <br />
              <Link href={`/clients/${client.id}/progress`} class="client-note-link" data-testid="client-latest-note">
                “{a.latest_log.note}”
              </Link>
            </>
          )}
        </span>
      ) : (
        a.last_log_date && <span class="muted small">last log {formatDate(a.last_log_date)}</span>
      )}
      {a.attention && (
        <span class="bad-text small" data-testid="client-attention">
          Check in: {formatDate(a.attention.date)}, {a.attention.reason}
        </span>
      )}
    </div>
  );
}

function InviteButton({ client }: { client: Client }) {
  const [link, setLink] = useState<InviteLink | null>(null);
  const { busy, error, run } = useAction();
  const invite = async () => {
    await run(async () => {
      setLink(await api.post<Answer<'/api/v1/clients/{id}/invite', 'post'>>(`/api/v1/clients/${client.id}/invite`));
    });
  };
  return (
    <div class="invite">
      {client.has_account !== undefined && (
        <span class={`small ${client.has_account ? 'muted' : 'warn-text'}`} data-testid="client-joined">
          {client.has_account ? 'Joined' : 'Not joined yet'}
        </span>
      )}
      <button
        type="button"
        class="btn secondary small"
        onClick={invite}
        disabled={busy}
        data-testid="invite-button"
        aria-label={client.has_account ? `New password link for ${client.name}` : `Invite ${client.name}`}
      >
        {busy ? 'Creating link…' : client.has_account ? 'New password link' : link ? 'New link' : 'Invite'}
      </button>
      {link && (
        <div class="invite-link" role="status">
          <label class={link.kind === 'invite' ? 'visually-hidden' : 'small'} for={`invite-${client.id}`}>
            {link.kind === 'invite'
              ? `Invitation link for ${client.name}`
              : `${client.name} has an account (${link.email ?? 'no email'}): this link sets a new password`}
          </label>
          <input id={`invite-${client.id}`} readOnly value={link.link} data-testid="invite-link" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <CopyButton text={link.link} testId="invite-copy" />
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

function AddClient({ onAdded }: { onAdded: (c: Client) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [notes, setNotes] = useState('');
  const { busy, error, run } = useAction();
  const err = (f: string) => fieldErrors(error, f);
  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      const body: Record<string, string> = { name: name.trim() };
      if (email.trim()) body.email = email.trim();
      if (notes.trim()) body.notes = notes.trim();
      const c = await api.post<Answer<'/api/v1/clients', 'post'>>('/api/v1/clients', body);
      setName('');
      setEmail('');
      setNotes('');
      onAdded(c);
    });
  };
  return (
    <form onSubmit={submit} class="add-client" data-testid="add-client-form" aria-labelledby="add-client-title" noValidate>
      <h2 id="add-client-title">Add client</h2>
      <div class="grid-3">
        <TextField label="Name" value={name} onInput={setName} required errors={err('name')} testId="add-client-name" autoComplete="off" />
        <TextField label="Email (optional)" type="email" value={email} onInput={setEmail} errors={err('email')} testId="add-client-email" autoComplete="off" />
        <TextField label="Notes (optional)" value={notes} onInput={setNotes} errors={err('notes')} testId="add-client-notes" autoComplete="off" />
      </div>
      <ErrorBox error={error instanceof ApiError && error.path ? null : error} />
      <button type="submit" class="btn primary" disabled={busy || !name.trim()} data-testid="add-client-submit">
        {busy ? 'Adding…' : 'Add client'}
      </button>
    </form>
  );
}

export function ClientList() {
  const clients = useAsync(() => api.get<Answer<'/api/v1/clients'>>('/api/v1/clients').then((r) => r.clients), []);
  const [q, setQ] = useState('');
  const [showAdd, setShowAdd] = useState(false);
  const list = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = clients.data ?? [];
    return needle ? all.filter((c) => c.name.toLowerCase().includes(needle) || c.email.toLowerCase().includes(needle)) : all;
  }, [clients.data, q]);

  return (
    <div class="stack">
      <div class="row-between">
        <h1>Clients</h1>
        <button type="button" class="btn primary" onClick={() => setShowAdd((s) => !s)} aria-expanded={showAdd} data-testid="show-add-client">
          {showAdd ? 'Close' : 'Add client'}
        </button>
      </div>
      {showAdd && (
        <section class="card">
          <AddClient
            onAdded={(c) => {
              clients.setData([...(clients.data ?? []), c]);
              setShowAdd(false);
            }}
          />
        </section>
      )}
      <section class="card" aria-labelledby="client-list-title">
        <h2 id="client-list-title" class="visually-hidden">
          Client list
        </h2>
        <div class="search">
          <TextField label="Search by name or email" type="search" value={q} onInput={setQ} testId="client-search" autoComplete="off" />
        </div>
        {clients.loading && !clients.data && <Loading label="Loading clients…" />}
        <ErrorBox error={clients.error} onRetry={clients.reload} />
        {clients.data && clients.data.length === 0 && (
          <p class="empty">No clients yet. Add your first client to start an assessment.</p>
        )}
        {clients.data && clients.data.length > 0 && list.length === 0 && <p class="empty">No client matches “{q}”.</p>}
        {list.length > 0 && (
          <ul class="client-list" data-testid="client-list" aria-live="polite">
            {list.map((c) => (
              <li key={c.id} class="client-row" data-testid="client-row" data-client-id={c.id}>
                <div class="client-main">
                  <Link href={`/clients/${c.id}`} class="client-name" data-testid="client-link">
                    {c.name}
                  </Link>
                  <span class="muted small">
                    {c.email || 'no email'}
                    {c.shared ? ' · shared with you' : ''}
                  </span>
                  {(c.unread_messages ?? 0) > 0 && (
                    <Link href={`/clients/${c.id}/messages`} class="unread-link small" data-testid="client-unread">
                      <span class="badge">{c.unread_messages}</span> new {c.unread_messages === 1 ? 'message' : 'messages'}
                    </Link>
                  )}
                </div>
                <div class="client-adherence" data-testid="client-adherence">
                  <AdherenceCell client={c} />
                </div>
                <div class="client-actions">{!c.shared && <InviteButton client={c} />}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
