// What waits on this phone to be sent, and what the server refused, in plain
// words: on Today and History.
import { useState } from 'preact/hooks';
import { dismissDropped, flushOutbox, type OutboxState } from '../outbox';
import { formatDate } from './ui';

export function OutboxNotice({ user, box }: { user: string; box: OutboxState }) {
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState('');
  const n = box.items.length;
  const send = async () => {
    setSending(true);
    setResult('');
    try {
      const r = await flushOutbox(user);
      setResult(
        r.stopped === 'network'
          ? 'Still no connection. It will be sent by itself once you are back online.'
          : r.stopped === 'auth'
            ? 'Log in again to send it.'
            : r.stopped === 'server'
              ? 'The server is busy; it will be tried again in a moment.'
              : '',
      );
    } catch {
      setResult('It could not be sent yet; it will be tried again.');
    } finally {
      setSending(false);
    }
  };
  if (n === 0 && box.dropped.length === 0) return null;
  return (
    <>
      {n > 0 && (
        <div class="notice outbox" role="status" data-testid="outbox-pending">
          <p>
            <strong>
              {n} session{n === 1 ? '' : 's'} waiting to be sent.
            </strong>{' '}
            Saved on this phone; {n === 1 ? 'it' : 'they'} will be sent when you are back online.
          </p>
          <ul class="small">
            {box.items.map((q) => (
              <li key={q.id}>
                Week {q.log.week}, day {q.log.day} · logged {formatDate(q.log.date)}
              </li>
            ))}
          </ul>
          <div class="btn-row">
            <button type="button" class="btn secondary small" onClick={send} disabled={sending} data-testid="outbox-send">
              {sending ? 'Sending…' : 'Send now'}
            </button>
            {result && <span class="small">{result}</span>}
          </div>
        </div>
      )}
      {box.dropped.map((d) => (
        <div class="error-box" role="alert" key={d.id} data-testid="outbox-refused">
          <p>
            The session of week {d.log.week}, day {d.log.day} ({formatDate(d.log.date)}) could not be saved: {d.message.replace(/\.?$/, '.')} Please tell your practitioner how it went.
          </p>
          <button type="button" class="btn secondary small" onClick={() => dismissDropped(user, d.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}
