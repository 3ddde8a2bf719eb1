import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Answer } from '../api';
import { ErrorBox, Loading, formatTimestamp, useAction, useAsync } from './ui';
import { MESSAGE_MAX, messageProblem, unreadFrom } from '../lib/messages';

/** How often an open thread asks for new messages. */
const REFRESH_MS = 30_000;

/**
 * A client's thread with their care team: the client and the practitioner see
 * the same messages, theirs on the right. Opening the thread marks what it
 * shows as read (the server keeps a mark per reader); new messages from the
 * other side are marked "New".
 */
export function MessageThread({
  clientId,
  audience,
  onRead,
  title = 'Messages',
}: {
  clientId: string;
  audience: 'client' | 'care_team';
  onRead?: (unread: number) => void;
  /** The card's heading (an h2). */
  title?: string;
}) {
  const thread = useAsync(() => api.get<Answer<'/api/v1/clients/{id}/messages'>>(`/api/v1/clients/${clientId}/messages`), [clientId]);
  const [text, setText] = useState('');
  const [firstUnread, setFirstUnread] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const listRef = useRef<HTMLOListElement>(null);
  const messages = thread.data?.messages ?? [];
  const lastId = messages[messages.length - 1]?.id;
  const unread = thread.data?.unread ?? 0;

  // What was unread when the thread opened keeps its "New" mark while it is open.
  useEffect(() => {
    if (!thread.data || firstUnread !== null) return;
    setFirstUnread(unreadFrom(thread.data.messages, thread.data.unread) ?? '');
  }, [thread.data, firstUnread]);

  // The latest onRead, so that a parent passing a new function on every
  // render does not mark the thread read again.
  const onReadRef = useRef(onRead);
  useEffect(() => {
    onReadRef.current = onRead;
  }, [onRead]);

  // Mark read up to the last message shown.
  useEffect(() => {
    if (!lastId || unread === 0) return;
    api.post<Answer<'/api/v1/clients/{id}/messages/read', 'post'>>(`/api/v1/clients/${clientId}/messages/read`, { up_to: lastId }).then(
      (r) => onReadRef.current?.(r.unread),
      () => undefined, // the mark is a convenience: the thread stays readable
    );
  }, [clientId, lastId, unread]);

  const reload = thread.reload;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages.length]);

  const problem = messageProblem(text);
  const send = async (e: Event) => {
    e.preventDefault();
    if (problem) return;
    await run(async () => {
      const m = await api.post<Answer<'/api/v1/clients/{id}/messages', 'post'>>(`/api/v1/clients/${clientId}/messages`, { body: text });
      setText('');
      thread.setData({ ...(thread.data ?? { client_id: clientId, messages: [], more: false, unread: 0 }), messages: [...messages, m], unread: 0 });
    });
  };

  const other = audience === 'client' ? 'your practitioner' : 'the client';
  return (
    <section class="card thread" aria-labelledby="thread-title" data-testid="message-thread">
      <div class="row-between">
        <h2 id="thread-title">{title}</h2>
        <button type="button" class="btn ghost small" onClick={thread.reload} disabled={thread.loading}>
          Refresh
        </button>
      </div>
      {thread.loading && !thread.data && <Loading label="Loading messages…" />}
      <ErrorBox error={thread.error} onRetry={thread.reload} />
      {thread.data && messages.length === 0 && (
        <p class="empty">No messages yet. Write to {other}: how a session went, a question, something that hurt.</p>
      )}
      {thread.data?.more && <p class="muted small">Older messages are in the client's export.</p>}
      {messages.length > 0 && (
        <ol class="thread-list" ref={listRef} aria-label="Messages, oldest first" tabIndex={0}>
          {messages.map((m) => (
            <li key={m.id} class={`message ${m.mine ? 'mine' : 'theirs'}`} data-testid="message" data-mine={m.mine ? 'true' : 'false'}>
              {m.id === firstUnread && (
                <span class="new-mark" data-testid="message-new">
                  New
                </span>
              )}
              <p class="message-meta">
                <strong>{m.mine ? 'You' : m.author_name}</strong>
                {!m.mine && <span class="muted">{m.from === 'client' ? ' (client)' : ' (care team)'}</span>}
                <span class="muted"> · {formatTimestamp(m.created_at)}</span>
              </p>
              <p class="message-body">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={send} class="thread-form" data-testid="message-form" noValidate>
        <label for="message-text">Write to {other}</label>
        <textarea
          id="message-text"
          rows={3}
          value={text}
          maxLength={MESSAGE_MAX * 2}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          aria-describedby="message-hint"
          aria-invalid={text.length > 0 && problem !== null ? 'true' : undefined}
          data-testid="message-text"
        />
        <p id="message-hint" class={`small ${text.length > 0 && problem ? 'bad-text' : 'muted'}`}>
          {text.length > 0 && problem ? problem : `Up to ${MESSAGE_MAX} characters. Not for emergencies: call your doctor or emergency services.`}
        </p>
        <ErrorBox error={error} testId="message-error" />
        <button type="submit" class="btn primary" disabled={busy || problem !== null} data-testid="message-send">
          {busy ? 'Sending…' : 'Send'}
        </button>
      </form>
    </section>
  );
}
