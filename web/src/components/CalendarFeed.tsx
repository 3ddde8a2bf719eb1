import { useState } from 'preact/hooks';
import { api, type Answer } from '../api';
import { CopyButton, ErrorBox } from './ui';

/** A secret calendar-subscription URL (upcoming sessions and re-assessments) for a client. */
export function CalendarFeed({ clientId, forClient }: { clientId: string; forClient?: boolean }) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [revoked, setRevoked] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Answer<'/api/v1/clients/{id}/calendar-feed', 'post'>>(`/api/v1/clients/${clientId}/calendar-feed`);
      setUrl(r.url);
      setRevoked(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del(`/api/v1/clients/${clientId}/calendar-feed`);
      setUrl('');
      setRevoked(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="calendar-feed" data-testid="calendar-feed">
      <p class="small muted">
        {forClient ? 'Add your sessions to your calendar app' : "Add the client's sessions to a calendar app"} with a subscription link: it stays up to date
        when the program changes. Creating a new link turns off the old one.
      </p>
      <div class="btn-row">
        <button type="button" class="btn secondary small" onClick={create} disabled={busy} data-testid="calendar-feed-create">
          {url ? 'Replace the link' : 'Create a calendar link'}
        </button>
        {url && (
          <button type="button" class="btn ghost small" onClick={revoke} disabled={busy} data-testid="calendar-feed-revoke">
            Turn the link off
          </button>
        )}
      </div>
      {url && (
        <div class="invite-link" role="status">
          <label class="visually-hidden" for={`feed-${clientId}`}>
            Calendar subscription link
          </label>
          <input id={`feed-${clientId}`} readOnly value={url} data-testid="calendar-feed-url" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <CopyButton text={url} />
        </div>
      )}
      {revoked && (
        <p class="small" role="status">
          The link is off; calendars subscribed to it stop updating.
        </p>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
