// The exercise library: every exercise with its drawing, searchable by name,
// muscle, phase and equipment; one exercise in full (steps, cues, dose, when
// to leave it out) at /library/ID.
import { useMemo, useState } from 'preact/hooks';
import { ExerciseFigure } from '../components/ExerciseFigure';
import { ErrorBox, Link, Loading, SelectField, TextField, humanize, useAsync } from '../components/ui';
import { loadExercises, loadMuscles, muscleName } from '../kb';
import { doseText } from '../lib/dose';
import { emptyQuery, equipmentList, searchExercises, targetedMuscles, type LibraryQuery } from '../lib/library';
import { navigate } from '../router';
import type { Exercise, MusclesDoc } from '../types';
import { PHASE_NAMES } from '../vocab';

export function LibraryView({ exerciseId }: { exerciseId?: string }) {
  const data = useAsync(async () => {
    const [exercises, muscles] = await Promise.all([loadExercises(), loadMuscles()]);
    return { exercises: [...exercises.values()], byId: exercises, muscles };
  }, []);
  if (data.loading && !data.data) return <Loading label="Loading the exercise library…" />;
  if (data.error || !data.data) return <ErrorBox error={data.error} onRetry={data.reload} />;
  const { exercises, byId, muscles } = data.data;
  if (exerciseId) {
    const e = byId.get(exerciseId);
    if (!e)
      return (
        <section class="card">
          <h1>No such exercise</h1>
          <p>
            The library has no exercise “{exerciseId}”. <Link href="/library">Back to the library</Link>.
          </p>
        </section>
      );
    return <ExerciseDetail exercise={e} byId={byId} muscles={muscles} />;
  }
  return <LibraryList exercises={exercises} muscles={muscles} />;
}

// The query lives in the address (?q=&muscle=&phase=&equipment=), so Back
// from an exercise returns to the same search.
function queryFromLocation(): LibraryQuery {
  const p = new URLSearchParams(location.search);
  return { text: p.get('q') ?? '', muscle: p.get('muscle') ?? '', phase: p.get('phase') ?? '', equipment: p.get('equipment') ?? '' };
}

function queryString(q: LibraryQuery): string {
  const p = new URLSearchParams();
  if (q.text) p.set('q', q.text);
  if (q.muscle) p.set('muscle', q.muscle);
  if (q.phase) p.set('phase', q.phase);
  if (q.equipment) p.set('equipment', q.equipment);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function LibraryList({ exercises, muscles }: { exercises: Exercise[]; muscles: MusclesDoc }) {
  const [q, setQ] = useState<LibraryQuery>(queryFromLocation);
  const update = (patch: Partial<LibraryQuery>) => {
    const next = { ...q, ...patch };
    setQ(next);
    history.replaceState(null, '', `/library${queryString(next)}`);
  };
  const found = useMemo(() => searchExercises(exercises, q, muscles), [exercises, q, muscles]);
  const muscleOptions = useMemo(() => targetedMuscles(exercises, muscles), [exercises, muscles]);
  const equipment = useMemo(() => equipmentList(exercises), [exercises]);
  const filtered = q.text || q.muscle || q.phase || q.equipment;
  return (
    <div class="stack">
      <section class="card">
        <h1>Exercise library</h1>
        <div class="library-filters" role="search">
          <TextField label="Search" value={q.text} onInput={(v) => update({ text: v })} placeholder="Name or muscle, e.g. glute" testId="library-search" />
          <SelectField
            label="Muscle"
            value={q.muscle}
            onChange={(v) => update({ muscle: v })}
            options={[{ value: '', label: 'Any muscle' }, ...muscleOptions.map((m) => ({ value: m.id, label: m.name }))]}
            testId="library-muscle"
          />
          <SelectField
            label="Phase"
            value={q.phase}
            onChange={(v) => update({ phase: v })}
            options={[{ value: '', label: 'Any phase' }, ...Object.entries(PHASE_NAMES).map(([value, label]) => ({ value, label }))]}
            testId="library-phase"
          />
          <SelectField
            label="Equipment"
            value={q.equipment}
            onChange={(v) => update({ equipment: v })}
            options={[{ value: '', label: 'Any' }, { value: 'none', label: 'None (bodyweight)' }, ...equipment.map((x) => ({ value: x, label: humanize(x) }))]}
            testId="library-equipment"
          />
        </div>
        <p class="muted small" role="status" aria-live="polite" data-testid="library-count">
          {found.length} of {exercises.length} exercises
          {filtered && (
            <>
              {' · '}
              <button type="button" class="btn ghost small" onClick={() => update(emptyQuery)}>
                Clear the search
              </button>
            </>
          )}
        </p>
      </section>
      {found.length === 0 ? (
        <p class="empty">No exercise matches. Try fewer words or another filter.</p>
      ) : (
        <ul class="library-list" data-testid="library-list">
          {found.map((e) => (
            <li key={e.id}>
              <button type="button" class="library-item" onClick={() => navigate(`/library/${encodeURIComponent(e.id)}`)} data-testid="library-item">
                <ExerciseFigure id={e.id} name={e.name} size="small" decorative />
                <span class="item-text">
                  <strong>{e.name}</strong>
                  <br />
                  <span class={`phase-badge ${e.phase}`}>{PHASE_NAMES[e.phase] ?? e.phase}</span>{' '}
                  <span class="muted small">{e.targets.primary.map((m) => muscleName(muscles, m)).join(', ')}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ExerciseDetail({ exercise: e, byId, muscles }: { exercise: Exercise; byId: Map<string, Exercise>; muscles: MusclesDoc }) {
  const dose = e.dose;
  const doseLine =
    dose.sets !== undefined
      ? doseText({ sets: dose.sets, reps: dose.reps ?? undefined, hold_seconds: dose.hold_seconds, per_side: dose.per_side ?? false })
      : '';
  const related = (id: string | null | undefined, label: string) => {
    const x = id ? byId.get(id) : undefined;
    return x ? (
      <li>
        {label}: <Link href={`/library/${encodeURIComponent(x.id)}`}>{x.name}</Link>
      </li>
    ) : null;
  };
  return (
    <article class="card" aria-labelledby="lib-title" data-testid="library-detail">
      <p class="no-print">
        <Link href="/library">← All exercises</Link>
      </p>
      <h1 id="lib-title">{e.name}</h1>
      <p>
        <span class={`phase-badge ${e.phase}`}>{PHASE_NAMES[e.phase] ?? e.phase}</span>
        {doseLine && (
          <>
            {' '}
            <strong class="dose" data-testid="library-dose">
              {doseLine}
            </strong>
          </>
        )}
        {dose.tempo && <span class="muted small"> · Tempo: {dose.tempo}</span>}
      </p>
      <div class="library-detail">
        <ExerciseFigure id={e.id} name={e.name} animated size="large" />
        <div>
          <h2>Steps</h2>
          <ol class="steps">
            {e.instructions.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
          {e.cues.length > 0 && (
            <>
              <h2>Cues</h2>
              <ul class="cues">
                {e.cues.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          )}
          <h2>Works</h2>
          <p>
            {e.targets.primary.map((m) => muscleName(muscles, m)).join(', ')}
            {e.targets.secondary.length > 0 && <span class="muted"> (also {e.targets.secondary.map((m) => muscleName(muscles, m)).join(', ')})</span>}
          </p>
          <p class="muted small">Equipment: {e.equipment.length ? e.equipment.map(humanize).join(', ') : 'none'}</p>
          <h2>Leave it out when</h2>
          {e.contraindications && e.contraindications.length > 0 ? (
            <ul data-testid="library-contraindications">
              {e.contraindications.map((c, i) => (
                <li key={i}>
                  {humanize(c.region)} pain {c.min_intensity} or more out of 10: {c.reason}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">No pain limit is recorded for this exercise; stop any exercise that causes sharp or worsening pain.</p>
          )}
          <ul class="muted small">
            {related(e.regression, 'Easier')}
            {related(e.progression, 'Harder')}
          </ul>
          {e.source && <p class="muted small">Source: {e.source}</p>}
        </div>
      </div>
    </article>
  );
}
