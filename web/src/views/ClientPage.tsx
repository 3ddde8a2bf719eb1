import { useState } from 'preact/hooks';
import { api, ApiError, fieldErrors, type Answer } from '../api';
import { ErrorBox, Link, Loading, TextField, formatTimestamp, useAsync } from '../components/ui';
import { navigate } from '../router';
import { drafts } from '../lib/draft';
import type { Client } from '../types';
import { AccessPanel } from '../components/AccessPanel';
import { MessageThread } from '../components/MessageThread';
import { AssessmentWizard, draftKey } from './AssessmentWizard';
import { FindingsTab } from './Findings';
import { ProgramTab } from './Program';
import { ProgressTab } from './Progress';

const TABS = [
  { id: 'assessments', label: 'Assessments' },
  { id: 'findings', label: 'Findings' },
  { id: 'program', label: 'Program' },
  { id: 'progress', label: 'Progress' },
  { id: 'messages', label: 'Messages' },
];

export function ClientPage({ clientId, tab, doc }: { clientId: string; tab: string; doc?: string }) {
  const client = useAsync(() => api.get<Answer<'/api/v1/clients/{id}'>>(`/api/v1/clients/${clientId}`), [clientId]);
  if (client.loading && !client.data) return <Loading label="Loading client…" />;
  if (client.error || !client.data)
    return (
      <div class="stack">
        <p>
          <Link href="/">← All clients</Link>
        </p>
        <ErrorBox error={client.error} onRetry={client.reload} />
      </div>
    );
  const c = client.data;
  return (
    <div class="stack">
      <div>
        <p class="crumbs">
          <Link href="/">← All clients</Link>
        </p>
        <h1 data-testid="client-title">{c.name}</h1>
        <p class="muted">
          {c.email || 'No email on file'}
          {c.notes ? ` · ${c.notes}` : ''}
        </p>
        {tab !== 'assess' && !c.shared && <ClientDetails client={c} onSaved={client.setData} />}
        {tab !== 'assess' && !c.shared && <AccessPanel client={c} />}
      </div>
      {tab === 'assess' ? (
        <AssessmentWizard client={c} />
      ) : (
        <>
          <nav class="tabs" aria-label="Client sections">
            <ul>
              {TABS.map((t) => (
                <li key={t.id}>
                  <Link href={`/clients/${c.id}/${t.id}`} aria-current={tab === t.id ? 'page' : undefined} data-testid={`tab-${t.id}`}>
                    {t.label}
                    {t.id === 'messages' && (c.unread_messages ?? 0) > 0 && (
                      <span class="badge" data-testid="tab-messages-unread">
                        {c.unread_messages}
                        <span class="visually-hidden"> unread</span>
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          {tab === 'assessments' && <AssessmentsTab client={c} />}
          {tab === 'findings' && <FindingsTab client={c} assessmentId={doc} />}
          {tab === 'program' && <ProgramTab client={c} programId={doc} />}
          {tab === 'progress' && <ProgressTab client={c} programId={doc} />}
          {tab === 'messages' && (
            <MessageThread clientId={c.id} audience="care_team" onRead={(unread) => client.setData({ ...c, unread_messages: unread })} />
          )}
          {!TABS.some((t) => t.id === tab) && <p>Unknown section.</p>}
        </>
      )}
    </div>
  );
}

function AssessmentsTab({ client }: { client: Client }) {
  const list = useAsync(
    () => api.get<Answer<'/api/v1/clients/{id}/assessments'>>(`/api/v1/clients/${client.id}/assessments`).then((r) => r.assessments),
    [client.id],
  );
  const draft = drafts.load<unknown>(draftKey(client.id));
  return (
    <section class="card" aria-labelledby="assessments-title">
      <div class="row-between">
        <h2 id="assessments-title">Assessments</h2>
        <Link href={`/clients/${client.id}/assess`} class="btn primary" data-testid="new-assessment">
          {draft ? 'Continue draft assessment' : 'New assessment'}
        </Link>
      </div>
      {draft && <p class="notice">A draft assessment started {formatTimestamp(draft.savedAt)} is saved on this device.</p>}
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && list.data.length === 0 && <p class="empty">No assessments yet. Start one to see findings and plan a program.</p>}
      {list.data && list.data.length > 0 && (
        <ul class="doc-list" data-testid="assessment-list">
          {[...list.data].reverse().map((a, i) => (
            <li key={a.id}>
              <span>
                {formatTimestamp(a.created_at)}
                {i === 0 && <span class="badge">latest</span>}
              </span>
              <span class="muted small">knowledge base {a.knowledge_base}</span>
              <Link href={`/clients/${client.id}/findings/${a.id}`} class="btn secondary small">
                View findings
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClientDetails({ client, onSaved }: { client: Client; onSaved: (c: Client) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(client.name);
  const [email, setEmail] = useState(client.email);
  const [notes, setNotes] = useState(client.notes ?? '');
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const err = (f: string) => fieldErrors(error, f);
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.patch<Answer<'/api/v1/clients/{id}', 'patch'>>(`/api/v1/clients/${client.id}`, { name: name.trim(), email: email.trim(), notes: notes.trim() }));
      setOpen(false);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del(`/api/v1/clients/${client.id}`);
      navigate('/');
    } catch (x) {
      setError(x);
      setBusy(false);
    }
  };
  if (!open)
    return (
      <button type="button" class="btn ghost small" onClick={() => setOpen(true)} data-testid="edit-client">
        Edit details
      </button>
    );
  return (
    <form class="card client-details" onSubmit={save} data-testid="client-details-form" noValidate>
      <div class="grid-3">
        <TextField label="Name" value={name} onInput={setName} required errors={err('name')} />
        <TextField label="Email" type="email" value={email} onInput={setEmail} errors={err('email')} />
        <TextField label="Notes" value={notes} onInput={setNotes} errors={err('notes')} />
      </div>
      <ErrorBox error={error instanceof ApiError && error.path ? null : error} />
      <div class="btn-row">
        <button type="submit" class="btn primary" disabled={busy || !name.trim()}>
          Save
        </button>
        <button type="button" class="btn ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
        {confirmDelete ? (
          <span class="btn-row danger-confirm" role="group" aria-label="Delete the client?">
            <span class="small">Delete {client.name} and all their assessments, programs and logs?</span>
            <button type="button" class="btn danger" onClick={remove} disabled={busy} data-testid="delete-client-confirm">
              Yes, delete
            </button>
            <button type="button" class="btn ghost" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="btn ghost danger-text" onClick={() => setConfirmDelete(true)} data-testid="delete-client">
            Delete client
          </button>
        )}
      </div>
    </form>
  );
}
