import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Answer } from '../api';
import { useAuth } from '../auth';
import { ExerciseFigure } from '../components/ExerciseFigure';
import { OutboxNotice } from '../components/OutboxNotice';
import { isMuted, keepAwake, setMuted, sounds, unlockAudio } from '../components/sound';
import { ErrorBox, Link, Loading, formatDate, humanize, useAsync, useId } from '../components/ui';
import { loadExercises } from '../kb';
import { logsOfVersions } from '../logs';
import { queueLog, queuedEntries, useOutbox, useOutboxReloading } from '../outbox';
import { isoDate, loggedKeys, pickTodaySession, sessionKey } from '../lib/adherence';
import { doseText, isHold } from '../lib/dose';
import { drafts } from '../lib/draft';
import { HoldTimer, type TimerEvent } from '../lib/timer';
import type { Exercise, LogEntry, LogItem, Program, ProgramItem, ProgramListItem, Session, SessionLog } from '../types';
import { PHASE_NAMES } from '../vocab';

interface ItemProgress {
  status: 'done' | 'skipped' | null;
  sets_done: number;
  reps_done: number[];
  hold_seconds_done?: number;
  /** Hold sets the timer has counted so far (kept in the draft, so a reload continues from the next set). */
  hold_sets_done?: number;
  effort?: string;
  pain?: string;
}

interface SessionProgress {
  index: number;
  items: ItemProgress[];
  stage: 'exercise' | 'log' | 'logged';
  effort: string;
  pain: string;
  note: string;
}

function freshProgress(s: Session): SessionProgress {
  return { index: 0, items: s.items.map(() => ({ status: null, sets_done: 0, reps_done: [] })), stage: 'exercise', effort: '5', pain: '', note: '' };
}

export async function loadOwnProgram(clientId?: string) {
  const clients = await api.get<Answer<'/api/v1/clients'>>('/api/v1/clients').then((r) => r.clients);
  const me = clients.find((c) => c.id === clientId) ?? clients[0];
  if (!me) return { me: null, program: null, logs: [] as LogEntry[] };
  const programs = await api.get<{ programs: ProgramListItem[] }>(`/api/v1/clients/${me.id}/programs`).then((r) => r.programs);
  const latest = programs[programs.length - 1];
  if (!latest) return { me, program: null, logs: [] as LogEntry[] };
  const [program, logs] = await Promise.all([api.get<Program>(`/api/v1/programs/${latest.id}`), logsOfVersions(programs, latest.id)]);
  return { me, program, logs };
}

export function TodayView() {
  const { user } = useAuth();
  const data = useAsync(async () => {
    const [own, exercises] = await Promise.all([loadOwnProgram(user.client_id), loadExercises()]);
    return { ...own, exercises };
  }, [user.client_id]);
  // Logs kept on this phone count as done; once sent, the server's list is read again.
  const box = useOutboxReloading(user.id, data.reload);
  if (data.loading && !data.data) return <Loading label="Loading today's session…" />;
  if (data.error || !data.data)
    return (
      <div class="stack">
        <OutboxNotice user={user.id} box={box} />
        <ErrorBox error={data.error} onRetry={data.reload} />
      </div>
    );
  const { program, logs, exercises } = data.data;
  const pending = box.items.filter((q) => q.program === program?.id);
  if (!program)
    return (
      <section class="card">
        <h1>Today</h1>
        <p class="empty">Your practitioner has not set up a program for you yet. It will appear here once they have.</p>
      </section>
    );
  return (
    <>
      <OutboxNotice user={user.id} box={box} />
      <TodaySession program={program} logs={[...logs, ...queuedEntries(pending)]} serverLogs={logs} exercises={exercises} onLogged={data.reload} />
    </>
  );
}

function TodaySession({ program, logs, serverLogs, exercises, onLogged }: { program: Program; logs: LogEntry[]; serverLogs: LogEntry[]; exercises: Map<string, Exercise>; onLogged: () => void }) {
  const today = isoDate(new Date());
  const done = loggedKeys(logs);
  const suggested = pickTodaySession(program, logs, today);
  const [key, setKey] = useState(suggested ? sessionKey(suggested) : '');
  const session = program.sessions.find((s) => sessionKey(s) === key) ?? suggested;
  const pickId = useId('pick');
  const reasons = [...new Set((program.omitted ?? []).map((o) => o.reason))];
  if (!session || program.sessions.every((s) => s.items.length === 0))
    return (
      <section class="card" data-testid="program-on-hold">
        <h1>Your program is on hold</h1>
        <p>There are no exercises for you to do right now. Please talk to your practitioner before exercising.</p>
        {reasons.length > 0 && (
          <ul>
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )}
      </section>
    );
  const label = (s: Session) => `Week ${s.week}, day ${s.day} · ${formatDate(s.date)}${done.has(sessionKey(s)) ? ' · done' : s.date === today ? ' · today' : ''}`;
  return (
    <div class="today stack">
      <div class="today-head">
        <h1>{session.date === today ? 'Today' : session.date < today ? 'Catch up' : 'Next session'}</h1>
        <div class="field compact">
          <label for={pickId}>Session</label>
          <select id={pickId} value={sessionKey(session)} onChange={(e) => setKey((e.currentTarget as HTMLSelectElement).value)} data-testid="session-picker">
            {program.sessions.map((s) => (
              <option key={sessionKey(s)} value={sessionKey(s)}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <SessionRunner key={`${program.id}-${sessionKey(session)}`} program={program} session={session} exercises={exercises} alreadyLogged={done.has(sessionKey(session))} serverLogs={serverLogs} onLogged={onLogged} />
    </div>
  );
}

function SessionRunner({
  program,
  session,
  exercises,
  alreadyLogged,
  serverLogs,
  onLogged,
}: {
  program: Program;
  session: Session;
  exercises: Map<string, Exercise>;
  alreadyLogged: boolean;
  serverLogs: LogEntry[];
  onLogged: () => void;
}) {
  const { user } = useAuth();
  const dkey = `today.${program.id}.${sessionKey(session)}`;
  const [p, setP] = useState<SessionProgress>(() => {
    const d = drafts.load<SessionProgress>(dkey)?.data;
    return d && d.items.length === session.items.length ? d : freshProgress(session);
  });
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** The log kept on this phone because the server could not be reached. */
  const [queued, setQueued] = useState<string | null>(null);
  const box = useOutbox(user.id);
  const waiting = queued !== null && box.items.some((q) => q.id === queued);
  const headRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (p.stage !== 'logged') drafts.save(dkey, p);
  }, [p, dkey]);

  const setItem = (i: number, patch: Partial<ItemProgress>) => setP((x) => ({ ...x, items: x.items.map((it, j) => (j === i ? { ...it, ...patch } : it)) }));
  const advance = () => {
    setP((x) => {
      const next = x.items.findIndex((it, j) => j > x.index && it.status === null);
      const anyLeft = x.items.findIndex((it) => it.status === null);
      if (next >= 0) return { ...x, index: next };
      if (anyLeft >= 0 && anyLeft !== x.index) return { ...x, index: anyLeft };
      return { ...x, stage: 'log' };
    });
    setTimeout(() => headRef.current?.focus(), 0);
  };

  const [painMissing, setPainMissing] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    // Pain is an answer, never a default: "no pain" feeds the adaptation too.
    if (p.pain === '') {
      setPainMissing(true);
      document.getElementById('pain-choice')?.querySelector('input')?.focus();
      return;
    }
    setPainMissing(false);
    setSubmitting(true);
    setError(null);
    const items: LogItem[] = [];
    session.items.forEach((it, i) => {
      const ip = p.items[i];
      if (ip.status !== 'done') return;
      const li: LogItem = { exercise: it.exercise, sets_done: Math.min(20, ip.sets_done) };
      if (!isHold(it) && ip.reps_done.length) li.reps_done = ip.reps_done.slice(0, li.sets_done);
      if (isHold(it) && ip.hold_seconds_done !== undefined) li.hold_seconds_done = ip.hold_seconds_done;
      if (it.per_side) li.side = 'both';
      if (ip.effort) li.effort = Number(ip.effort);
      if (ip.pain) li.pain = Number(ip.pain);
      items.push(li);
    });
    const log: SessionLog = {
      schema: 'rebalance.log/1',
      program: program.id!,
      week: session.week,
      day: session.day,
      date: isoDate(new Date()),
      effort: Number(p.effort),
      pain: Number(p.pain),
      items,
    };
    if (p.note.trim()) log.note = p.note.trim();
    try {
      await api.post(`/api/v1/programs/${program.id}/logs`, log);
      drafts.discard(dkey);
      setP((x) => ({ ...x, stage: 'logged' }));
    } catch (x) {
      // No connection: kept on this phone and sent later (src/outbox.ts);
      // any other error is shown, and the log stays in the form.
      const kept = x instanceof ApiError && x.status === 0 ? queueLog(user.id, log, serverLogs) : null;
      if (kept) {
        drafts.discard(dkey);
        setQueued(kept.id);
        setP((y) => ({ ...y, stage: 'logged' }));
      } else setError(x);
    } finally {
      setSubmitting(false);
    }
  };

  const doneCount = p.items.filter((x) => x.status === 'done').length;

  if (session.items.length === 0)
    return (
      <section class="card">
        <p class="empty">No exercises are planned for this session. Pick another session above.</p>
      </section>
    );

  if (p.stage === 'logged')
    return (
      <section class="card center" role="status" data-testid="logged">
        <h2>{waiting ? 'Session saved on this phone' : 'Session logged'}</h2>
        <p>
          Well done: {doneCount} of {session.items.length} exercises.
        </p>
        {waiting && (
          <p class="notice" data-testid="logged-offline">
            Saved on this phone; it will be sent when you are back online. You do not need to log it again.
          </p>
        )}
        <div class="btn-row center">
          <Link href="/history" class="btn secondary">
            See your history
          </Link>
          <button type="button" class="btn primary" onClick={onLogged}>
            Back to today
          </button>
        </div>
      </section>
    );

  return (
    <>
      {alreadyLogged && <p class="notice">This session is already logged. You can do it again; a second log is kept too.</p>}
      <ol class="item-dots" aria-label="Exercises in this session">
        {session.items.map((it, i) => (
          <li key={i}>
            <button
              type="button"
              class={`dot ${p.items[i].status ?? ''} ${i === p.index && p.stage === 'exercise' ? 'current' : ''}`}
              onClick={() => setP((x) => ({ ...x, index: i, stage: 'exercise' }))}
              aria-current={i === p.index && p.stage === 'exercise' ? 'step' : undefined}
              aria-label={`${i + 1}. ${exercises.get(it.exercise)?.name ?? humanize(it.exercise)}${p.items[i].status ? `, ${p.items[i].status}` : ''}`}
            >
              {i + 1}
            </button>
          </li>
        ))}
        <li>
          <button type="button" class={`dot log ${p.stage === 'log' ? 'current' : ''}`} onClick={() => setP((x) => ({ ...x, stage: 'log' }))} aria-label="Log the session">
            ✓
          </button>
        </li>
      </ol>
      {p.stage === 'exercise' ? (
        <ExerciseStep
          key={p.index}
          headRef={headRef}
          item={session.items[p.index]}
          index={p.index}
          total={session.items.length}
          exercise={exercises.get(session.items[p.index].exercise)}
          progress={p.items[p.index]}
          onUpdate={(patch) => setItem(p.index, patch)}
          onFinish={(patch) => {
            setItem(p.index, patch);
            advance();
          }}
        />
      ) : (
        <form class="card log-form" onSubmit={submit} data-testid="log-form">
          <h2 tabIndex={-1} ref={headRef}>
            How did it go?
          </h2>
          <p class="muted">
            {doneCount} of {session.items.length} exercises done.
          </p>
          <Scale label="Effort of the whole session" hint="0 = no effort, 10 = maximal" value={p.effort} onChange={(v) => setP((x) => ({ ...x, effort: v }))} testId="log-effort" />
          <PainChoice
            value={p.pain}
            onChange={(v) => {
              setP((x) => ({ ...x, pain: v }));
              setPainMissing(false);
            }}
            missing={painMissing}
          />
          <NoteField value={p.note} onChange={(v) => setP((x) => ({ ...x, note: v }))} />
          <details>
            <summary>Effort and pain per exercise (optional)</summary>
            {session.items.map((it, i) =>
              p.items[i].status === 'done' ? (
                <fieldset key={i} class="per-item">
                  <legend>{exercises.get(it.exercise)?.name ?? humanize(it.exercise)}</legend>
                  <div class="grid-2">
                    <SmallScale label="Effort" value={p.items[i].effort ?? ''} onChange={(v) => setItem(i, { effort: v })} />
                    <SmallScale label="Pain" value={p.items[i].pain ?? ''} onChange={(v) => setItem(i, { pain: v })} />
                  </div>
                </fieldset>
              ) : null,
            )}
          </details>
          <ErrorBox error={error} testId="log-error" reveal />
          {error instanceof ApiError && error.problems.length > 0 && (
            <ul class="field-error">
              {error.problems.map((x) => (
                <li key={x.path}>{x.message}</li>
              ))}
            </ul>
          )}
          <div class="action-bar">
            <button type="button" class="btn secondary big" onClick={() => setP((x) => ({ ...x, stage: 'exercise' }))}>
              Back
            </button>
            <button type="submit" class="btn primary big" disabled={submitting} data-testid="log-submit">
              {submitting ? 'Saving…' : 'Log session'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

// Pain during the session, 0-10, with nothing chosen until the person answers.
function PainChoice({ value, onChange, missing }: { value: string; onChange: (v: string) => void; missing: boolean }) {
  return (
    <fieldset class={`field pain-choice ${missing ? 'has-error' : ''}`} id="pain-choice" aria-describedby="pain-choice-hint" data-testid="log-pain">
      <legend>Pain during the session</legend>
      <div class="pain-scale">
        {Array.from({ length: 11 }, (_, i) => (
          <label key={i} class={`pain-option ${value === String(i) ? 'chosen' : ''}`}>
            <input type="radio" name="session-pain" value={String(i)} checked={value === String(i)} onChange={() => onChange(String(i))} data-testid={`log-pain-${i}`} />
            <span>{i}</span>
          </label>
        ))}
      </div>
      <p class="hint" id="pain-choice-hint">
        0 = no pain, 10 = worst imaginable.
      </p>
      {missing && (
        <p class="field-error" role="alert" data-testid="log-pain-missing">
          Choose how much pain you had, 0 if none.
        </p>
      )}
    </fieldset>
  );
}

function NoteField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId('note');
  return (
    <div class="field">
      <label for={id}>Note (optional)</label>
      <textarea id={id} rows={3} maxLength={2000} value={value} onInput={(e) => onChange((e.currentTarget as HTMLTextAreaElement).value)} data-testid="log-note" />
    </div>
  );
}

function Scale({ label, hint, value, onChange, testId }: { label: string; hint: string; value: string; onChange: (v: string) => void; testId: string }) {
  const id = useId('s');
  return (
    <div class="field scale">
      <label for={id}>
        {label}: <strong>{value}</strong>
      </label>
      <input id={id} type="range" min={0} max={10} step={1} value={value} onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)} aria-describedby={`${id}-h`} data-testid={testId} />
      <p class="hint" id={`${id}-h`}>
        {hint}
      </p>
    </div>
  );
}

function SmallScale({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId('ss');
  return (
    <div class="field">
      <label for={id}>{label} (0–10)</label>
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">Same as the session</option>
        {Array.from({ length: 11 }, (_, i) => (
          <option key={i} value={String(i)}>
            {i}
          </option>
        ))}
      </select>
    </div>
  );
}

function ExerciseStep(props: {
  headRef: preact.RefObject<HTMLHeadingElement>;
  item: ProgramItem;
  index: number;
  total: number;
  exercise?: Exercise;
  progress: ItemProgress;
  onUpdate: (p: Partial<ItemProgress>) => void;
  onFinish: (p: Partial<ItemProgress>) => void;
}) {
  const { item, exercise } = props;
  const name = exercise?.name ?? humanize(item.exercise);
  const guide = (
    <>
      {exercise && exercise.instructions.length > 0 && (
        <section aria-label="Steps">
          <h3>Steps</h3>
          <ol class="steps">
            {exercise.instructions.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </section>
      )}
      {exercise && exercise.cues.length > 0 && (
        <section aria-label="Cues">
          <h3>Cues</h3>
          <ul class="cues">
            {exercise.cues.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
  return (
    <article class="card exercise" aria-labelledby="ex-title" data-testid="exercise">
      <p class="muted small">
        Exercise {props.index + 1} of {props.total}
      </p>
      <h2 id="ex-title" tabIndex={-1} ref={props.headRef}>
        {name}
      </h2>
      <p>
        <span class={`phase-badge ${item.phase}`}>{PHASE_NAMES[item.phase] ?? item.phase}</span> <strong class="dose">{doseText(item)}</strong>
      </p>
      {item.tempo && <p class="muted small">Tempo: {item.tempo}</p>}
      <ExerciseFigure id={item.exercise} name={name} animated size="large" />
      {isHold(item) ? (
        <HoldPanel item={item} restSeconds={item.rest_seconds ?? exercise?.dose.rest_seconds} progress={props.progress} onUpdate={props.onUpdate} onFinish={props.onFinish}>
          {guide}
        </HoldPanel>
      ) : (
        <RepPanel item={item} progress={props.progress} onUpdate={props.onUpdate} onFinish={props.onFinish}>
          {guide}
        </RepPanel>
      )}
    </article>
  );
}

function HoldPanel({
  item,
  restSeconds,
  progress,
  onUpdate,
  onFinish,
  children,
}: {
  item: ProgramItem;
  restSeconds?: number;
  progress: ItemProgress;
  onUpdate: (p: Partial<ItemProgress>) => void;
  onFinish: (p: Partial<ItemProgress>) => void;
  children?: ComponentChildren;
}) {
  const timer = useMemo(
    () =>
      new HoldTimer(
        {
          sets: item.sets,
          holdSeconds: item.hold_seconds ?? 30,
          perSide: item.per_side,
          setsBySide: item.per_side ? item.sets_by_side : undefined,
          restSeconds: Math.max(5, restSeconds ?? 10),
          switchSeconds: 5,
          readySeconds: 5,
        },
        { now: () => performance.now() },
      ),
    [item, restSeconds],
  );
  const [, setFrame] = useState(0);
  const [announce, setAnnounce] = useState('');
  const v = timer.view();
  const total = v.totalSets;

  const handle = (events: TimerEvent[]) => {
    for (const e of events) {
      if (e.type === 'count') {
        sounds.tick();
        setAnnounce(String(e.n));
      } else if (e.type === 'holdStart') {
        sounds.start();
        setAnnounce(`Hold${e.side ? `, ${e.side} side` : ''}, set ${e.set} of ${total}`);
      } else if (e.type === 'holdEnd') sounds.holdEnd();
      else if (e.type === 'switchSide') setAnnounce(`Switch to the ${e.to} side`);
      else if (e.type === 'setDone') {
        // Kept in the draft at once: a reload continues from the next set.
        onUpdate({ hold_sets_done: e.set });
        if (e.set < total) setAnnounce(`Set ${e.set} done. Rest.`);
      } else if (e.type === 'done') {
        sounds.done();
        setAnnounce('All sets done');
      }
    }
    setFrame((n) => n + 1);
  };

  // The interval reads the latest handler (its callbacks and set count), not
  // the one of the render that started it.
  const handleRef = useRef(handle);
  useEffect(() => {
    handleRef.current = handle;
  });
  useEffect(() => {
    keepAwake(v.status === 'running');
    if (v.status !== 'running') return;
    const id = setInterval(() => handleRef.current(timer.tick()), 200);
    return () => clearInterval(id);
  }, [v.status, timer]);

  // Sets the timer counted before a reload; the timer continues after them.
  const saved = Math.min(progress.hold_sets_done ?? 0, total);
  const start = () => {
    unlockAudio();
    handle(timer.start(saved + 1));
  };
  const phaseText =
    v.status === 'idle'
      ? doseText(item)
      : v.status === 'done'
        ? 'All sets done'
        : v.step?.kind === 'ready'
          ? `Get ready${v.step.side ? `: ${v.step.side} side first` : ''}`
          : v.step?.kind === 'switch'
            ? `Switch to the ${v.step.side} side`
            : v.step?.kind === 'rest'
              ? 'Rest'
              : `Hold${v.step?.side ? ` · ${v.step.side === 'left' ? 'Left' : 'Right'} side` : ''}`;
  // Sets done: what the timer counted (none before it starts); without the
  // timer the person counts them with + and -. Done needs at least one.
  const [manualSets, setManualSets] = useState<number | null>(null);
  const [mute, setMute] = useState(isMuted());
  useEffect(() => () => keepAwake(false), []);
  const setsDone = manualSets ?? (v.status === 'idle' ? saved : v.setsCompleted);
  const finish = () =>
    onFinish({
      status: 'done',
      sets_done: setsDone,
      hold_seconds_done: setsDone > 0 ? item.hold_seconds : undefined,
    });
  const secs = v.remainingSeconds;
  const clock = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
  return (
    <div class="hold-panel" data-testid="hold-timer">
      <div class={`timer-face ${v.step?.kind ?? 'idle'} ${v.status}`}>
        <button
          type="button"
          class="btn ghost small sound-toggle"
          onClick={() => {
            setMuted(!mute);
            setMute(!mute);
          }}
          data-testid="sound-toggle"
        >
          Sound {mute ? 'off' : 'on'}
        </button>
        <p class="timer-phase">{phaseText}</p>
        <p class="timer-count" role="timer" aria-label={`${secs} seconds left`} data-testid="timer-count">
          {clock}
        </p>
        <p class="timer-sets" data-testid="timer-sets">
          Set {Math.min(v.step?.set ?? 1, total)} of {total}
        </p>
      </div>
      <p class="visually-hidden" aria-live="assertive">
        {announce}
      </p>
      <div class="sets-stepper" role="group" aria-label="Sets done">
        <button type="button" class="btn round small-round" onClick={() => setManualSets(Math.max(0, setsDone - 1))} aria-label="One set fewer done">
          −
        </button>
        <span aria-live="polite" data-testid="hold-sets-done">
          {setsDone} of {total} sets done
        </span>
        <button type="button" class="btn round small-round" onClick={() => setManualSets(Math.min(20, setsDone + 1))} aria-label="One set more done">
          +
        </button>
      </div>
      {children}
      {setsDone === 0 && (
        <p class="hint" id="hold-done-hint">
          Start the timer, or count the sets you did with + before pressing Done.
        </p>
      )}
      <div class="action-bar">
        {v.status === 'idle' && (
          <button type="button" class="btn primary big" onClick={start} data-testid="timer-start">
            {saved > 0 && saved < total ? `Continue with set ${saved + 1}` : 'Start timer'}
          </button>
        )}
        {v.status === 'running' && (
          <>
            <button type="button" class="btn secondary big" onClick={() => (timer.pause(), setFrame((n) => n + 1))} data-testid="timer-pause">
              Pause
            </button>
            {v.step?.kind !== 'hold' && (
              <button type="button" class="btn secondary big" onClick={() => handle(timer.skip())} data-testid="timer-skip-rest">
                Start now
              </button>
            )}
          </>
        )}
        {v.status === 'paused' && (
          <button type="button" class="btn primary big" onClick={() => handle(timer.resume())} data-testid="timer-resume">
            Resume
          </button>
        )}
        <button type="button" class="btn ghost big" onClick={() => onFinish({ status: 'skipped' })} data-testid="item-skip">
          Skip
        </button>
        <button
          type="button"
          class={`btn ${v.status === 'done' ? 'primary' : 'secondary'} big`}
          onClick={finish}
          disabled={setsDone === 0}
          aria-describedby={setsDone === 0 ? 'hold-done-hint' : undefined}
          data-testid="item-done"
        >
          Done
        </button>
      </div>
    </div>
  );
}

function RepPanel({ item, progress, onUpdate, onFinish, children }: { item: ProgramItem; progress: ItemProgress; onUpdate: (p: Partial<ItemProgress>) => void; onFinish: (p: Partial<ItemProgress>) => void; children?: ComponentChildren }) {
  const target = item.reps ?? 10;
  const sb = item.per_side ? item.sets_by_side : undefined;
  const total = sb ? Math.max(sb.left ?? item.sets, sb.right ?? item.sets) : item.sets;
  const [reps, setReps] = useState(target);
  const setsDone = progress.reps_done.length;
  const allDone = setsDone >= total;
  const repsId = useId('reps');
  const logSet = () => {
    const next = [...progress.reps_done, reps];
    onUpdate({ reps_done: next, sets_done: next.length });
    setReps(target);
  };
  return (
    <div class="rep-panel" data-testid="rep-counter">
      <div class="timer-face">
        <p class="timer-phase">
          {allDone ? 'All sets done' : `Set ${setsDone + 1} of ${total}`}
          {item.per_side && !allDone ? ' · both sides' : ''}
        </p>
        <div class="rep-stepper">
          <button type="button" class="btn round" onClick={() => setReps((r) => Math.max(0, r - 1))} aria-label="One repetition fewer" disabled={allDone}>
            −
          </button>
          <div class="rep-value">
            <label for={repsId}>Repetitions</label>
            <input id={repsId} type="number" min={0} max={500} inputMode="numeric" value={reps} disabled={allDone} onInput={(e) => setReps(Math.max(0, Math.min(500, Number((e.currentTarget as HTMLInputElement).value) || 0)))} data-testid="reps-input" />
          </div>
          <button type="button" class="btn round" onClick={() => setReps((r) => Math.min(500, r + 1))} aria-label="One repetition more" disabled={allDone}>
            +
          </button>
        </div>
        {item.hold_seconds ? <p class="muted small">Hold {item.hold_seconds} s at the top of each repetition.</p> : null}
        <p class="timer-sets" aria-live="polite" data-testid="sets-done">
          {setsDone} of {total} sets done{setsDone ? `: ${progress.reps_done.join(', ')} reps` : ''}
        </p>
        {setsDone > 0 && (
          <button type="button" class="link-btn" onClick={() => onUpdate({ reps_done: progress.reps_done.slice(0, -1), sets_done: setsDone - 1 })}>
            Undo last set
          </button>
        )}
      </div>
      {children}
      <div class="action-bar">
        <button type="button" class="btn ghost big" onClick={() => onFinish({ status: 'skipped' })} data-testid="item-skip">
          Skip
        </button>
        {!allDone && (
          <button type="button" class="btn secondary big" onClick={logSet} data-testid="set-done">
            Set done
          </button>
        )}
        <button
          type="button"
          class={`btn ${allDone ? 'primary' : 'secondary'} big`}
          onClick={() =>
            onFinish(setsDone ? { status: 'done', sets_done: setsDone } : { status: 'done', sets_done: total, reps_done: Array.from({ length: total }, () => target) })
          }
          data-testid="item-done"
        >
          Done
        </button>
      </div>
    </div>
  );
}
