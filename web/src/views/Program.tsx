import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, fieldErrors, type Answer } from '../api';
import { AdaptPanel } from '../components/AdaptPanel';
import { CalendarFeed } from '../components/CalendarFeed';
import { ExerciseFigure } from '../components/ExerciseFigure';
import { ErrorBox, Link, Loading, Meter, SelectField, TextField, formatDate, formatTimestamp, humanize, useAction, useAsync } from '../components/ui';
import { loadExercises, loadMuscles, muscleName } from '../kb';
import { isoDate } from '../lib/adherence';
import { drafts } from '../lib/draft';
import { doseProblems, sessionsWith } from '../lib/edits';
import { fixedHoliday, nextWorkingDay } from '../lib/holidays';
import { doseText, mergeTargets } from '../lib/dose';
import { emptyQuery, equipmentList, searchExercises, targetedMuscles, type LibraryQuery } from '../lib/library';
import { intakePreferences } from '../lib/intake';
import { navigate } from '../router';
import type { AssessmentDoc, AssessmentListItem, Client, Edit, Exercise, MusclesDoc, Program, ProgramListItem, ProgramTemplate } from '../types';
import { PHASE_NAMES } from '../vocab';

function nextMonday(): string {
  const d = new Date();
  const add = (8 - d.getDay()) % 7;
  d.setDate(d.getDate() + add);
  return isoDate(d);
}

export function ProgramTab({ client, programId }: { client: Client; programId?: string }) {
  const data = useAsync(async () => {
    const [programs, assessments, exercises, muscles] = await Promise.all([
      api.get<{ programs: ProgramListItem[] }>(`/api/v1/clients/${client.id}/programs`).then((r) => r.programs),
      api.get<Answer<'/api/v1/clients/{id}/assessments'>>(`/api/v1/clients/${client.id}/assessments`).then((r) => r.assessments),
      loadExercises(),
      loadMuscles(),
    ]);
    const id = programId ?? programs[programs.length - 1]?.id;
    const program = id ? await api.get<Program>(`/api/v1/programs/${id}`) : null;
    return { programs, assessments, exercises, muscles, program };
  }, [client.id, programId]);
  const wantedAssessment = new URLSearchParams(location.search).get('assessment') ?? undefined;

  if (data.loading && !data.data) return <Loading label="Loading program…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { programs, assessments, exercises, muscles, program } = data.data;
  return (
    <div class="stack">
      <GenerateForm client={client} assessments={assessments} open={!program || !!wantedAssessment} initialAssessment={wantedAssessment} />
      {program && <ProgramView program={program} exercises={exercises} muscles={muscles} client={client} />}
      {programs.length > 0 && <VersionHistory client={client} programs={programs} current={program?.id} />}
    </div>
  );
}

function GenerateForm({ client, assessments, open, initialAssessment }: { client: Client; assessments: AssessmentListItem[]; open: boolean; initialAssessment?: string }) {
  const latest = assessments[assessments.length - 1]?.id ?? '';
  const [assessment, setAssessment] = useState(initialAssessment ?? latest);
  const [weeks, setWeeks] = useState('');
  const [days, setDays] = useState('');
  const [minutes, setMinutes] = useState('');
  const [start, setStart] = useState(nextMonday());
  const [template, setTemplate] = useState('');
  const templates = useAsync(() => api.get<{ templates: ProgramTemplate[] }>('/api/v1/templates?kind=program').then((r) => r.templates), []);
  const reloadTemplates = templates.reload;
  useEffect(() => {
    window.addEventListener(TEMPLATES_CHANGED, reloadTemplates);
    return () => window.removeEventListener(TEMPLATES_CHANGED, reloadTemplates);
  }, [reloadTemplates]);
  // What the chosen assessment's intake asked for: shown in the empty fields,
  // which the server fills from it.
  const prefs = useAsync(async () => {
    if (!assessment) return null;
    const doc = await api.get<AssessmentDoc>(`/api/v1/assessments/${assessment}`);
    return intakePreferences(doc.input);
  }, [assessment]);
  const from = (n: number | undefined, unit: string) => (n === undefined ? undefined : `${n} ${unit} (from the intake)`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const err = (f: string) => fieldErrors(error, f);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {};
    if (assessment) body.assessment = assessment;
    if (template) body.template = template;
    const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : s.trim());
    if (weeks.trim()) body.weeks = int(weeks);
    if (days.trim()) body.days_per_week = int(days);
    if (minutes.trim()) body.minutes_per_session = int(minutes);
    if (start) body.start_date = start;
    try {
      const p = await api.post<Program>(`/api/v1/clients/${client.id}/programs`, body);
      navigate(`/clients/${client.id}/program/${p.id}`);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  if (assessments.length === 0)
    return (
      <section class="card">
        <h2>Program</h2>
        <p class="empty">
          A program is planned from an assessment. <Link href={`/clients/${client.id}/assess`}>Start the assessment</Link> first.
        </p>
      </section>
    );
  return (
    <details class="card generate" open={open}>
      <summary>
        <h2>Generate a program</h2>
      </summary>
      <form onSubmit={submit} data-testid="generate-program-form" noValidate>
        <p class="muted small">
          Empty fields use the template's shape when you start from one, else the client's preferences from the intake, else 8 weeks, 3 days a
          week, 20 minutes.
        </p>
        <div class="grid-3">
          <SelectField
            label="Start from"
            value={template}
            onChange={setTemplate}
            options={[
              { value: '', label: "The findings (the engine's choice)" },
              ...(templates.data ?? []).map((t) => ({ value: t.id, label: `Template: ${t.name}` })),
            ]}
            errors={err('template')}
            testId="gen-template"
          />
          {template && (
            <p class="muted small span-3">The template's exercises and doses, checked by the engine for this client: contraindications, equipment, time.</p>
          )}
          <SelectField
            label="From assessment"
            value={assessment}
            onChange={setAssessment}
            options={[...assessments].reverse().map((a, i) => ({ value: a.id, label: `${formatTimestamp(a.created_at)}${i === 0 ? ' (latest)' : ''}` }))}
            errors={err('assessment')}
          />
          <TextField label="Weeks (1–52)" inputMode="numeric" value={weeks} onInput={setWeeks} errors={err('weeks')} placeholder={from(prefs.data?.weeks, 'weeks')} testId="gen-weeks" />
          <TextField
            label="Days per week (1–7)"
            inputMode="numeric"
            value={days}
            onInput={setDays}
            errors={err('days_per_week')}
            placeholder={from(prefs.data?.days_per_week, 'days')}
            testId="gen-days"
          />
          <TextField
            label="Minutes per session (5–180)"
            inputMode="numeric"
            value={minutes}
            onInput={setMinutes}
            errors={err('minutes_per_session')}
            placeholder={from(prefs.data?.minutes_per_session, 'minutes')}
            testId="gen-minutes"
          />
          <TextField label="Start date" type="date" value={start} onInput={setStart} errors={err('start_date')} testId="gen-start" />
        </div>
        <ErrorBox error={error instanceof ApiError && error.path ? null : error} />
        <button type="submit" class="btn primary" disabled={busy} data-testid="generate-program">
          {busy ? 'Planning…' : 'Generate program'}
        </button>
      </form>
    </details>
  );
}

function VersionHistory({ client, programs, current }: { client: Client; programs: ProgramListItem[]; current?: string }) {
  return (
    <section class="card no-print" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ol class="doc-list" reversed data-testid="version-history">
        {[...programs].reverse().map((p) => (
          <li key={p.id} class={p.id === current ? 'current' : ''}>
            <span>
              {p.version !== undefined ? `Version ${p.version}` : 'Program'} · {formatTimestamp(p.created_at)}
              {p.supersedes ? <span class="muted small"> · revises an earlier version</span> : p.version === 1 ? <span class="muted small"> · as planned</span> : null}
            </span>
            {p.id === current ? (
              <span class="badge">shown</span>
            ) : (
              <Link href={`/clients/${client.id}/program/${p.id}`} class="btn secondary small">
                Show
              </Link>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function editText(e: Edit, ex: Map<string, Exercise>): string {
  const n = (id: string) => ex.get(id)?.name ?? humanize(id);
  const scope = e.only_on
    ? ` (only on ${formatDate(e.only_on)})`
    : e.day !== undefined
      ? ` (session ${e.day} of each week${e.from ? `, from ${formatDate(e.from)}` : ''})`
      : e.from
        ? ` (from ${formatDate(e.from)})`
        : '';
  switch (e.op) {
    case 'swap':
      return `Swap ${n(e.exercise)} for ${n(e.with)}${scope}`;
    case 'dose': {
      const parts = [e.sets !== undefined ? `${e.sets} sets` : '', e.reps !== undefined ? `${e.reps} reps` : '', e.hold_seconds !== undefined ? `hold ${e.hold_seconds} s` : ''].filter(Boolean);
      return `Dose of ${n(e.exercise)}${e.side ? `, ${e.side} side` : ''}: ${parts.join(', ')}${scope}`;
    }
    case 'remove':
      return `Remove ${n(e.exercise)}${scope}`;
    case 'add':
      return `Add ${n(e.exercise)}${scope}`;
    case 'reassess':
      return `Re-assessment after week ${e.week} moved to ${formatDate(e.date)}`;
  }
}

/** The unsaved edits of a program kept on this device (none: empty). */
function savedEdits(key: string): Edit[] {
  return drafts.load<Edit[]>(key)?.data ?? [];
}

export function ProgramView({ program, exercises, muscles, client }: { program: Program; exercises: Map<string, Exercise>; muscles: MusclesDoc; client: Client }) {
  // Unsaved edits are kept on this device, so a reload loses nothing.
  const editsKey = `edits.${program.id}`;
  const [editing, setEditing] = useState(() => savedEdits(editsKey).length > 0);
  const [edits, setEdits] = useState<Edit[]>(() => savedEdits(editsKey));
  const [preview, setPreview] = useState<Program | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const restored = savedEdits(editsKey);
    setEditing(restored.length > 0);
    setEdits(restored);
    setPreview(null);
    setError(null);
  }, [editsKey]);
  useEffect(() => {
    if (edits.length) drafts.save(editsKey, edits);
    else drafts.discard(editsKey);
  }, [edits, editsKey]);

  const shown = preview ?? program;
  const changes = (
    <ul>
      {(program.edits ?? []).map((e, i) => (
        <li key={i}>{editText(e, exercises)}</li>
      ))}
    </ul>
  );
  const send = useCallback(async (dryRun: boolean) => {
    setBusy(dryRun ? 'preview' : 'save');
    setError(null);
    try {
      const r = await api.post<Program>(`/api/v1/programs/${program.id}/revisions`, { edits, dry_run: dryRun });
      if (dryRun) setPreview(r);
      else {
        drafts.discard(editsKey);
        navigate(`/clients/${client.id}/program/${r.id}`);
      }
    } catch (x) {
      setError(x);
      setPreview(null);
    } finally {
      setBusy(null);
    }
  }, [edits, program.id, editsKey, client.id]);
  const editErrors = (i: number): string[] =>
    error instanceof ApiError
      ? [...(error.problems.length ? error.problems : [{ path: error.path ?? '', message: error.message }])]
          .filter((p) => p.path === `$.edits[${i}]` || p.path.startsWith(`$.edits[${i}].`))
          .map((p) => p.message.replace(/^[^$]*\$\S*: /, ''))
          // Exercise ids in the engine's message read as their names.
          .map((m) => m.replace(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, (id) => exercises.get(id)?.name ?? id))
          .map((m) => m.charAt(0).toUpperCase() + m.slice(1))
      : [];
  const generalError = error instanceof ApiError && (error.path ?? '').startsWith('$.edits[') ? null : error;

  const changeEdits = (next: Edit[]) => {
    setEdits(next);
    setPreview(null);
    setError(null);
  };
  // Validate as you edit: each change is checked by the engine at once (a
  // dry run), so a change that cannot apply is marked where it was made.
  useEffect(() => {
    if (!editing || edits.length === 0) return;
    const timer = setTimeout(() => send(true), 350);
    return () => clearTimeout(timer);
  }, [edits, editing, send]);

  return (
    <section class="card program" aria-labelledby="program-title" data-testid="program-view">
      <div class="row-between wrap">
        <div>
          <h2 id="program-title">
            {preview ? 'Preview of the new version' : `Program${program.version !== undefined ? `, version ${program.version}` : ''}`}
          </h2>
          <p class="muted">
            {shown.weeks} weeks · {shown.days_per_week} days a week · {shown.minutes_per_session} minutes per session · starts {formatDate(shown.start_date, { dateStyle: 'medium' } as Intl.DateTimeFormatOptions)}
          </p>
        </div>
        <div class="btn-row no-print">
          <a class="btn secondary" href={`/api/v1/programs/${program.id}/handout.html`} target="_blank" rel="noopener" data-testid="print-handout">
            Print handout
          </a>
          <a class="btn secondary" href={`/api/v1/programs/${program.id}/calendar.ics`} download={`rebalance-${program.id}.ics`} data-testid="download-ics">
            Download calendar (.ics)
          </a>
          <button type="button" class="btn secondary" onClick={() => window.print()}>
            Print this view
          </button>
          <button type="button" class={`btn ${editing ? 'ghost' : 'primary'}`} onClick={() => (editing ? (setEditing(false), changeEdits([])) : setEditing(true))} aria-expanded={editing} data-testid="edit-program">
            {editing ? 'Cancel editing' : 'Edit program'}
          </button>
        </div>
      </div>
      {!editing && <AdaptPanel program={program} client={client} />}
      {!editing && <SaveTemplate program={program} />}
      {!client.shared && (
        <details class="no-print feed-box">
          <summary>Calendar subscription</summary>
          <CalendarFeed clientId={client.id} />
        </details>
      )}
      {(shown.reassessments?.length ?? 0) > 0 && (
        <p class="small">
          Reassess in {shown.reassessments!.map((r) => `week ${r.week} (${formatDate(r.date)})`).join(' and ')}.
        </p>
      )}
      {!editing && !preview && !client.shared && <HolidayReassessments program={program} client={client} />}
      {(program.edits?.length ?? 0) > 0 && (
        <div class="notice" data-testid="program-changes">
          {program.template ? (
            <details>
              <summary>
                Started from the template “{program.template.name}”: {program.edits!.length} changes to the program planned from the findings
              </summary>
              {changes}
            </details>
          ) : (
            <>
              <p>Changes from the planned program:</p>
              {changes}
            </>
          )}
        </div>
      )}
      {editing && (
        <EditPanel
          program={program}
          exercises={exercises}
          muscles={muscles}
          edits={edits}
          onChange={changeEdits}
          editErrors={editErrors}
          onPreview={() => send(true)}
          onSave={() => send(false)}
          busy={busy}
          previewed={!!preview}
          error={generalError}
        />
      )}
      {shown.sessions.every((x) => x.items.length === 0) && (
        <p class="notice" role="status" data-testid="program-empty">
          {shown.sessions.length === 0
            ? 'No sessions: a referral stops the whole program until a doctor has seen the client (see the findings); the reasons are listed below.'
            : 'Every exercise is left out of this program; the reasons are listed below.'}{' '}
          The client sees that the program is on hold.
        </p>
      )}
      {(shown.omitted?.length ?? 0) > 0 && (
        <details class="omitted" open={shown.sessions.every((x) => x.items.length === 0)}>
          <summary>Left out of the program ({shown.omitted!.length})</summary>
          <ul>
            {shown.omitted!.map((o, i) => (
              <li key={i}>
                {o.finding ? `${muscleName(muscles, o.finding.muscle)} (${o.finding.side}, ${o.finding.state})` : o.exercise ? exercises.get(o.exercise)?.name ?? humanize(o.exercise) : ''}: {o.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <Weeks program={shown} exercises={exercises} muscles={muscles} />
    </section>
  );
}

function EditPanel(props: {
  program: Program;
  exercises: Map<string, Exercise>;
  muscles: MusclesDoc;
  edits: Edit[];
  onChange: (e: Edit[]) => void;
  editErrors: (i: number) => string[];
  onPreview: () => void;
  onSave: () => void;
  busy: 'preview' | 'save' | null;
  previewed: boolean;
  error: unknown;
}) {
  const { program, exercises, edits } = props;
  const used = useMemo(() => {
    const ids: string[] = [];
    for (const s of program.sessions) for (const it of s.items) if (!ids.includes(it.exercise)) ids.push(it.exercise);
    return ids;
  }, [program]);
  const [target, setTarget] = useState(used[0] ?? '');
  const [op, setOp] = useState<'swap' | 'dose' | 'remove' | 'add'>('dose');
  const [swapWith, setSwapWith] = useState('');
  const [sets, setSets] = useState('');
  const [reps, setReps] = useState('');
  const [hold, setHold] = useState('');
  const [addId, setAddId] = useState('');
  const [onlyOn, setOnlyOn] = useState('');
  const [side, setSide] = useState<'' | 'left' | 'right'>('');
  const cur = exercises.get(target);
  const alternatives = useMemo(
    () =>
      cur
        ? [...exercises.values()].filter((e) => e.id !== cur.id && e.phase === cur.phase && e.targets.primary.some((m) => cur.targets.primary.includes(m)))
        : [],
    [cur, exercises],
  );
  const item = program.sessions.flatMap((s) => s.items).find((i) => i.exercise === target);
  // The exercise picker: search by name, muscle or equipment, filter by muscle and phase.
  const [pick, setPick] = useState<LibraryQuery>(emptyQuery);
  const pickMuscles = useMemo(() => targetedMuscles([...exercises.values()], props.muscles), [exercises, props.muscles]);
  const pickEquipment = useMemo(() => equipmentList([...exercises.values()]), [exercises]);
  const addable = searchExercises([...exercises.values()], pick, props.muscles)
    .filter((e) => !used.includes(e.id))
    .sort((a, b) => a.phase.localeCompare(b.phase) || a.name.localeCompare(b.name));

  const sessionChoices = useMemo(
    () => (op === 'add' ? program.sessions.map((s) => ({ date: s.date, week: s.week, day: s.day })) : sessionsWith(program, target)),
    [program, target, op],
  );
  const oneSide = op === 'dose' && side !== '' && !!item?.per_side;
  const problems = op === 'dose' ? doseProblems({ sets, reps, hold }, oneSide ? (side as 'left' | 'right') : undefined) : {};
  const add = (e: Edit) => props.onChange([...edits, onlyOn && sessionChoices.some((c) => c.date === onlyOn) ? { ...e, only_on: onlyOn } : e]);
  const addEdit = () => {
    if (op === 'swap' && swapWith) add({ op: 'swap', exercise: target, with: swapWith });
    if (op === 'remove') add({ op: 'remove', exercise: target });
    if (op === 'add' && addId) add({ op: 'add', exercise: addId });
    if (op === 'dose') {
      if (Object.keys(problems).length > 0) return;
      const e: Edit = { op: 'dose', exercise: target };
      const n = (s: string) => (s.trim() === '' ? undefined : Number(s.replace(',', '.')));
      if (n(sets) !== undefined) e.sets = n(sets);
      if (n(reps) !== undefined) e.reps = n(reps);
      if (n(hold) !== undefined) e.hold_seconds = n(hold);
      if (oneSide) e.side = side as 'left' | 'right';
      if (e.sets === undefined && e.reps === undefined && e.hold_seconds === undefined) return;
      add(e);
      setSets('');
      setReps('');
      setHold('');
    }
  };
  const canAdd =
    op === 'swap' ? !!swapWith : op === 'add' ? !!addId : op === 'dose' ? !!(sets || reps || hold) && Object.keys(problems).length === 0 : !!target;

  return (
    <div class="edit-panel no-print" data-testid="edit-panel">
      <h3>Edit the program</h3>
      <p class="muted small">
        Each change applies to every week, or to one session you choose. It is checked as soon as you add it; the preview below shows each
        session's minutes against the budget. Save it as a new version; the current version stays in the history.
      </p>
      <div class="grid-3">
        <SelectField
          label="Change"
          value={op}
          onChange={(v) => setOp(v as typeof op)}
          options={[
            { value: 'dose', label: 'Change the dose' },
            { value: 'swap', label: 'Swap for another exercise' },
            { value: 'remove', label: 'Remove an exercise' },
            { value: 'add', label: 'Add an exercise' },
          ]}
          testId="edit-op"
        />
        {op !== 'add' && (
          <SelectField
            label="Exercise"
            value={target}
            onChange={(v) => {
              setTarget(v);
              setSwapWith('');
            }}
            options={used.map((id) => ({ value: id, label: exercises.get(id)?.name ?? humanize(id) }))}
            testId="edit-exercise"
          />
        )}
        {op === 'swap' && (
          <SelectField
            label="Swap for (same phase, shares a target muscle)"
            value={swapWith}
            onChange={setSwapWith}
            options={[{ value: '', label: alternatives.length ? 'Choose…' : 'No alternative covers the same target' }, ...alternatives.map((e) => ({ value: e.id, label: e.name }))]}
            testId="edit-swap-with"
          />
        )}
        {op === 'add' && (
          <div class="picker span-3" data-testid="exercise-picker">
            <TextField label="Find an exercise" type="search" value={pick.text} onInput={(v) => setPick({ ...pick, text: v })} testId="picker-search" autoComplete="off" />
            <SelectField
              label="Muscle"
              value={pick.muscle}
              onChange={(v) => setPick({ ...pick, muscle: v })}
              options={[{ value: '', label: 'Any muscle' }, ...pickMuscles.map((m) => ({ value: m.id, label: m.name }))]}
              testId="picker-muscle"
            />
            <SelectField
              label="Phase"
              value={pick.phase}
              onChange={(v) => setPick({ ...pick, phase: v })}
              options={[{ value: '', label: 'Any phase' }, ...Object.entries(PHASE_NAMES).map(([value, label]) => ({ value, label }))]}
              testId="picker-phase"
            />
            <SelectField
              label="Equipment"
              value={pick.equipment}
              onChange={(v) => setPick({ ...pick, equipment: v })}
              options={[{ value: '', label: 'Any' }, { value: 'none', label: 'None (bodyweight)' }, ...pickEquipment.map((x) => ({ value: x, label: humanize(x) }))]}
              testId="picker-equipment"
            />
          </div>
        )}
        {op === 'add' && (
          <SelectField
            label={`Exercise to add (${addable.length} match${addable.length === 1 ? '' : 'es'})`}
            value={addId}
            onChange={setAddId}
            options={[{ value: '', label: 'Choose…' }, ...addable.map((e) => ({ value: e.id, label: `${e.name} (${PHASE_NAMES[e.phase] ?? e.phase})` }))]}
            testId="edit-add"
          />
        )}
      </div>
      <div class="grid-3">
        <SelectField
          label="Sessions"
          value={onlyOn}
          onChange={setOnlyOn}
          options={[
            { value: '', label: 'Every week' },
            ...sessionChoices.map((c) => ({ value: c.date, label: `Only week ${c.week}, session ${c.day} (${formatDate(c.date)})` })),
          ]}
          testId="edit-scope"
        />
        {op === 'dose' && item?.per_side && (
          <SelectField
            label="Side"
            value={side}
            onChange={(v) => setSide(v as typeof side)}
            options={[
              { value: '', label: 'Both sides' },
              { value: 'left', label: 'Left side only (sets)' },
              { value: 'right', label: 'Right side only (sets)' },
            ]}
            testId="edit-side"
          />
        )}
      </div>
      {op === 'dose' && (
        <div class="grid-3">
          <TextField
            label={`Sets${item ? ` (now ${item.sets})` : ''}`}
            inputMode="numeric"
            value={sets}
            onInput={setSets}
            testId="edit-dose-sets"
            errors={problems.sets ? [problems.sets] : []}
          />
          {item?.reps !== undefined && !oneSide && (
            <TextField label={`Reps (now ${item.reps})`} inputMode="numeric" value={reps} onInput={setReps} testId="edit-dose-reps" errors={problems.reps ? [problems.reps] : []} />
          )}
          {item?.hold_seconds !== undefined && !oneSide && (
            <TextField
              label={`Hold seconds (now ${item.hold_seconds})`}
              inputMode="decimal"
              value={hold}
              onInput={setHold}
              testId="edit-dose-hold"
              errors={problems.hold ? [problems.hold] : []}
            />
          )}
        </div>
      )}
      <button type="button" class="btn secondary" onClick={addEdit} disabled={!canAdd} data-testid="edit-add-change">
        Add this change
      </button>
      {edits.length > 0 && (
        <ol class="edit-list" data-testid="edit-list">
          {edits.map((e, i) => (
            <li key={i} data-testid="edit-item" data-invalid={props.editErrors(i).length > 0 ? 'true' : undefined}>
              <span>{editText(e, exercises)}</span>
              <button type="button" class="btn ghost small" onClick={() => props.onChange(edits.filter((_, j) => j !== i))} aria-label={`Undo: ${editText(e, exercises)}`}>
                Undo
              </button>
              {props.editErrors(i).map((m) => (
                <p key={m} class="field-error" role="alert">
                  {m}
                </p>
              ))}
            </li>
          ))}
        </ol>
      )}
      <ErrorBox error={props.error} testId="edit-error" />
      <div class="btn-row">
        <button type="button" class="btn secondary" disabled={edits.length === 0 || props.busy !== null} onClick={props.onPreview} data-testid="preview-edits">
          {props.busy === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" class="btn primary" disabled={edits.length === 0 || !props.previewed || props.busy !== null} onClick={props.onSave} data-testid="save-version">
          {props.busy === 'save' ? 'Saving…' : 'Save as new version'}
        </button>
      </div>
      {props.busy === 'preview' && (
        <p class="muted small" role="status">
          Checking the changes…
        </p>
      )}
      {props.previewed && (
        <p class="notice ok" role="status" data-testid="edits-valid">
          Every change applies and every session fits its time budget (preview below). Save to make it the client's current program.
        </p>
      )}
    </div>
  );
}

function Weeks({ program, exercises, muscles }: { program: Program; exercises: Map<string, Exercise>; muscles: MusclesDoc }) {
  const weeks = useMemo(() => {
    const m = new Map<number, Program['sessions']>();
    for (const s of program.sessions) m.set(s.week, [...(m.get(s.week) ?? []), s]);
    return [...m.entries()].sort((a, b) => a[0] - b[0]);
  }, [program]);
  const today = isoDate(new Date());
  const initial = weeks.find(([, ss]) => ss.some((s) => s.date >= today))?.[0] ?? weeks[0]?.[0] ?? 1;
  const [week, setWeek] = useState(initial);
  const budget = program.minutes_per_session;
  return (
    <div class="weeks">
      <div class="week-picker no-print" role="group" aria-label="Week">
        {weeks.map(([w]) => (
          <button key={w} type="button" class={`week-btn ${w === week ? 'current' : ''}`} aria-pressed={w === week} onClick={() => setWeek(w)} data-testid={`week-${w}`}>
            Week {w}
          </button>
        ))}
      </div>
      {weeks.map(([w, sessions]) => (
        <div key={w} class={`week ${w === week ? '' : 'week-hidden'}`} data-testid={w === week ? 'current-week' : undefined}>
          <h3 class="week-title">Week {w}</h3>
          <div class="sessions">
            {sessions.map((s) => {
              const over = s.estimated_minutes > budget;
              return (
                <article key={`${s.week}-${s.day}`} class={`session ${over ? 'over' : ''}`} data-testid="session">
                  <header>
                    <h4>
                      Day {s.day} · {formatDate(s.date)}
                    </h4>
                    <div class="budget">
                      <Meter value={s.estimated_minutes} max={budget} tone={over ? 'bad' : 'ok'} label={`${s.estimated_minutes} of ${budget} minutes`} />
                      <span class={`small ${over ? 'bad-text' : 'muted'}`} data-testid="session-minutes">
                        {s.estimated_minutes} / {budget} min
                      </span>
                    </div>
                  </header>
                  {s.items.length === 0 && <p class="muted small">No exercises in this session.</p>}
                  <ol class="items">
                    {s.items.map((it, i) => (
                      <li key={i} class={`item phase-${it.phase} item-with-figure`}>
                        <Link href={`/library/${encodeURIComponent(it.exercise)}`} aria-label={`How to do ${exercises.get(it.exercise)?.name ?? humanize(it.exercise)}`}>
                          <ExerciseFigure id={it.exercise} name={exercises.get(it.exercise)?.name ?? humanize(it.exercise)} size="small" decorative />
                        </Link>
                        <div class="item-text">
                          <div class="item-head">
                            <strong>{exercises.get(it.exercise)?.name ?? humanize(it.exercise)}</strong>
                            <span class={`phase-badge ${it.phase}`}>{PHASE_NAMES[it.phase] ?? it.phase}</span>
                          </div>
                          <div class="item-dose">{doseText(it)}</div>
                          {it.targets.length > 0 && (
                            <div class="muted small">
                              For: {mergeTargets(it.targets).map((t) => `${muscleName(muscles, t.muscle)} (${t.side === 'both' ? 'both' : t.side}, ${t.state})`).join(', ')}
                            </div>
                          )}
                          {it.note && <div class="small">{it.note}</div>}
                        </div>
                      </li>
                    ))}
                  </ol>
                </article>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

/** Fired when a template is saved, so the generate form lists it. */
const TEMPLATES_CHANGED = 'rebalance:templates-changed';

/** Saves this program's first week as a template for other clients (no client data goes into it). */
function SaveTemplate({ program }: { program: Program }) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const t = await api.post<ProgramTemplate>('/api/v1/templates', { kind: 'program', name: name.trim(), from_program: program.id });
      setSaved(t.name);
      setName('');
      window.dispatchEvent(new Event(TEMPLATES_CHANGED));
    });
  };
  return (
    <details class="no-print feed-box" data-testid="save-template">
      <summary>Save as a template</summary>
      <form onSubmit={save} class="template-form" noValidate>
        <p class="muted small">
          The first week's sessions with their doses and the program's length, days and minutes; nothing about this client. Start another
          client's program from it: the engine checks it for them.
        </p>
        <TextField label="Template name" value={name} onInput={setName} required errors={fieldErrors(error, 'name')} testId="template-name" />
        <ErrorBox error={error} fields={['name']} />
        <button type="submit" class="btn secondary" disabled={busy || !name.trim()} data-testid="template-save">
          {busy ? 'Saving…' : 'Save template'}
        </button>
        {saved && (
          <p class="notice ok" role="status" data-testid="template-saved">
            Saved “{saved}”. Choose it under “Start from” when you generate a program.
          </p>
        )}
      </form>
    </details>
  );
}

/**
 * A re-assessment on a public holiday: said, with the next working day
 * offered or another date to choose; the practitioner decides (a new
 * version), or keeps it.
 */
function HolidayReassessments({ program, client }: { program: Program; client: Client }) {
  const [kept, setKept] = useState<number[]>([]);
  const [chosen, setChosen] = useState<Record<number, string>>({});
  const { busy, error, run } = useAction();
  const due = (program.reassessments ?? []).filter((r) => fixedHoliday(r.date) && !kept.includes(r.week));
  if (due.length === 0) return null;
  const move = (week: number, date: string) =>
    run(async () => {
      const r = await api.post<Program>(`/api/v1/programs/${program.id}/revisions`, {
        edits: [{ op: 'reassess', week, date }],
        reason: `the week ${week} re-assessment fell on a public holiday`,
      });
      navigate(`/clients/${client.id}/program/${r.id}`);
    });
  return (
    <div class="notice no-print" role="status" data-testid="holiday-reassessment">
      {due.map((r) => {
        const suggested = nextWorkingDay(r.date);
        const other = chosen[r.week] ?? suggested;
        return (
          <div key={r.week} class="stack-tight">
            <p>
              The week {r.week} re-assessment falls on {formatDate(r.date)}, {fixedHoliday(r.date)}: a public holiday in many countries.
            </p>
            <div class="btn-row">
              <button type="button" class="btn secondary small" disabled={busy} onClick={() => move(r.week, suggested)} data-testid="holiday-move">
                Move it to {formatDate(suggested)}
              </button>
              <button type="button" class="btn ghost small" onClick={() => setKept([...kept, r.week])} data-testid="holiday-keep">
                Keep {formatDate(r.date)}
              </button>
            </div>
            <div class="holiday-other">
              <TextField label="Or another date" type="date" value={other} onInput={(v) => setChosen({ ...chosen, [r.week]: v })} testId="holiday-date" />
              <button type="button" class="btn ghost small" disabled={busy || !other} onClick={() => move(r.week, other)}>
                Move to this date
              </button>
            </div>
          </div>
        );
      })}
      <ErrorBox error={error} />
    </div>
  );
}
