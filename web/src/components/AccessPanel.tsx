import { useState } from 'preact/hooks';
import { api, type Answer } from '../api';
import { ErrorBox, Loading, formatTimestamp, useAction, useAsync } from './ui';
import type { Client, ClientLinks } from '../types';

const KIND_TEXT: Record<ClientLinks['links'][number]['kind'], string> = {
  invite: 'Invitation to join',
  password_reset: 'Password reset link',
  calendar_feed: 'Calendar subscription',
};

/** The owner's view of a client's account and open links, each revocable. */
export function AccessPanel({ client }: { client: Client }) {
  const [open, setOpen] = useState(false);
  const links = useAsync(() => (open ? api.get<Answer<'/api/v1/clients/{id}/links'>>(`/api/v1/clients/${client.id}/links`) : Promise.resolve(null)), [client.id, open]);
  const { busy, error, run } = useAction();
  const revoke = (id: string) =>
    run(async () => {
      await api.del(`/api/v1/clients/${client.id}/links/${id}`);
      links.reload();
    });
  if (!open)
    return (
      <button type="button" class="btn ghost small" onClick={() => setOpen(true)} data-testid="show-access">
        Account and links
      </button>
    );
  const data = links.data;
  return (
    <section class="card access-panel" aria-labelledby="access-title" data-testid="access-panel">
      <div class="row-between">
        <h2 id="access-title">Account and links</h2>
        <button type="button" class="btn ghost small" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      {links.loading && !data && <Loading label="Loading links…" />}
      <ErrorBox error={links.error ?? error} onRetry={links.reload} />
      {data && (
        <>
          <p data-testid="access-account">
            {data.account
              ? `Joined as ${data.account.email} on ${formatTimestamp(data.account.created_at)}.`
              : 'Has not joined yet: invite them from the client list.'}
          </p>
          {data.links.length === 0 ? (
            <p class="muted">No open links.</p>
          ) : (
            <ul class="plain-list" data-testid="access-links">
              {data.links.map((l) => (
                <li key={l.id} class="row-between">
                  <span>
                    {KIND_TEXT[l.kind]}, made {formatTimestamp(l.created_at)}
                    {l.expires_at ? `, valid until ${formatTimestamp(l.expires_at)}` : ', until turned off'}
                  </span>
                  <button type="button" class="btn ghost small danger-text" disabled={busy} onClick={() => revoke(l.id)} data-testid="revoke-link">
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
