import { useAuth } from '../auth';
import { CalendarFeed } from '../components/CalendarFeed';
import { OutboxNotice } from '../components/OutboxNotice';
import { queuedEntries, useOutboxReloading } from '../outbox';
import { ErrorBox, Link, Loading, formatDate, humanize, useAsync } from '../components/ui';
import { loadExercises, loadGuidance } from '../kb';
import { isoDate, loggedKeys, sessionKey } from '../lib/adherence';
import { doseText } from '../lib/dose';
import { AdherenceSummary, loadAdherence } from './Progress';
import { loadOwnProgram } from './Today';

export function HistoryView() {
  const { user } = useAuth();
  const data = useAsync(async () => {
    const [own, exercises, guidance] = await Promise.all([loadOwnProgram(user.client_id), loadExercises(), loadGuidance().catch(() => null)]);
    const adherence = own.program?.id ? await loadAdherence(own.program.id) : null;
    return { ...own, exercises, guidance, adherence };
  }, [user.client_id]);
  const box = useOutboxReloading(user.id, data.reload);
  if (data.loading && !data.data) return <Loading label="Loading your history…" />;
  if (data.error || !data.data)
    return (
      <div class="stack">
        <OutboxNotice user={user.id} box={box} />
        <ErrorBox error={data.error} onRetry={data.reload} />
      </div>
    );
  const { program, logs, exercises, guidance, adherence } = data.data;
  const today = isoDate(new Date());
  // Sessions kept on this phone, not sent yet, count as done too.
  const done = loggedKeys([...logs, ...queuedEntries(box.items.filter((q) => q.program === program?.id))]);
  const currentWeek = program ? (program.sessions.find((s) => s.date >= today) ?? program.sessions[program.sessions.length - 1])?.week : undefined;
  const weekSessions = program?.sessions.filter((s) => s.week === currentWeek) ?? [];
  const past = logs.filter((l) => l.log).sort((a, b) => b.log!.date.localeCompare(a.log!.date) || b.created_at - a.created_at);
  const name = (id: string) => exercises.get(id)?.name ?? humanize(id);
  return (
    <div class="stack">
      <h1>Your progress</h1>
      <OutboxNotice user={user.id} box={box} />
      {!program && <p class="empty card">No program yet. Your practitioner will set one up for you.</p>}
      {adherence && (
        <section class="card" aria-labelledby="streak-title">
          <h2 id="streak-title">Streaks</h2>
          <AdherenceSummary a={adherence} />
          {adherence.missed.length > 0 && (
            <p class="muted">
              {adherence.missed.length} session{adherence.missed.length === 1 ? '' : 's'} missed so far. You can catch up from the <Link href="/">Today</Link> screen.
            </p>
          )}
        </section>
      )}
      {weekSessions.length > 0 && (
        <section class="card" aria-labelledby="week-title">
          <h2 id="week-title">This week's plan (week {currentWeek})</h2>
          <ul class="week-plan" data-testid="week-plan">
            {weekSessions.map((s) => (
              <li key={sessionKey(s)} class={done.has(sessionKey(s)) ? 'done' : s.date < today ? 'missed' : ''}>
                <strong>
                  Day {s.day} · {formatDate(s.date)}
                </strong>{' '}
                <span class="muted small">{done.has(sessionKey(s)) ? '✓ done' : s.date < today ? 'missed' : s.date === today ? 'today' : 'coming up'}</span>
                <ul class="muted small">
                  {s.items.map((it, i) => (
                    <li key={i}>
                      {name(it.exercise)}: {doseText(it)}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
      {program && data.data.me && (
        <section class="card" aria-labelledby="feed-title">
          <h2 id="feed-title">Reminders in your calendar</h2>
          <CalendarFeed clientId={data.data.me.id} forClient />
        </section>
      )}
      <section class="card" aria-labelledby="logs-title">
        <h2 id="logs-title">Logged sessions</h2>
        {past.length === 0 ? (
          <p class="empty">Nothing logged yet. Your sessions appear here once you log them.</p>
        ) : (
          <ul class="log-list" data-testid="log-list">
            {past.map((l) => (
              <li key={l.id}>
                <strong>{formatDate(l.log!.date)}</strong> · week {l.log!.week}, day {l.log!.day}
                <span class="muted small">
                  {' '}
                  · effort {l.log!.effort}/10 · pain {l.log!.pain}/10 · {l.log!.items.length} exercise{l.log!.items.length === 1 ? '' : 's'}
                </span>
                {l.log!.note && <p class="small">“{l.log!.note}”</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {guidance && guidance.prevention_tips.length > 0 && (
        <section class="card tips" aria-labelledby="tips-title">
          <h2 id="tips-title">Preventing imbalances</h2>
          <ul>
            {guidance.prevention_tips.map((t) => (
              <li key={t.id}>{t.text}</li>
            ))}
          </ul>
          {guidance.functional?.text && <p class="muted">{guidance.functional.text}</p>}
        </section>
      )}
    </div>
  );
}
