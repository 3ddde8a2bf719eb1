import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage, fieldErrors, type Answer } from '../api';
import { useAuth } from '../auth';
import { PainPicker } from '../components/PainPicker';
import { Checkbox, ErrorBox, FieldError, Loading, SelectField, TextField, humanize, useAsync, useId } from '../components/ui';
import { isoDate } from '../lib/adherence';
import { drafts } from '../lib/draft';
import {
  buildIntake,
  completeForm,
  emptyForm,
  fieldOfPath,
  hasValues,
  measuresOf,
  sidesOf,
  stepOfField,
  strengthUnits,
  testKey,
  unitOf,
  type SectionUnits,
  type SideKey,
  type TestForm,
  type WizardForm,
} from '../lib/intake';
import { clientFacts, referencesFor, type ClientFacts } from '../lib/reference';
import {
  ALL_TESTS,
  BUILT_IN_SETS,
  NAME_MAX,
  allSets,
  deleteOwnSet,
  findSet,
  listOwnSets,
  migrateOnce,
  practitionerPrefs,
  saveOwnSet,
  templateRequest,
  testOfPath,
  visibleTests,
  withoutSet,
  type Migration,
  type PractitionerPrefs,
  type TestSet,
} from '../lib/testsets';
import { localProblems, mergeProblems, type Problem } from '../lib/validate';
import { loadTests, loadVocabulary } from '../kb';
import { navigate } from '../router';
import type { Client, TestDef, VocabularyDoc } from '../types';
import { regionName, termName } from '../vocab';

export function draftKey(clientId: string): string {
  return `wizard.${clientId}`;
}

const STEPS = [
  { id: 'client', title: 'Client & lifestyle' },
  { id: 'pain', title: 'Pain & safety' },
  { id: 'posture', title: 'Posture' },
  { id: 'rom', title: 'Range of motion' },
  { id: 'strength', title: 'Strength' },
  { id: 'endurance', title: 'Endurance' },
  { id: 'movement', title: 'Movement screens' },
  { id: 'review', title: 'Review & submit' },
] as const;

interface Draft {
  form: WizardForm;
  step: number;
}

type Update = (fn: (f: WizardForm) => void) => void;
type ErrorsFor = (field: string) => string[];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function toggle<T>(list: T[], v: T, on: boolean): T[] {
  const rest = list.filter((x) => x !== v);
  return on ? [...rest, v] : rest;
}

const SIDE_OPTIONS = [
  { value: 'both', label: 'Both sides' },
  { value: 'left', label: 'Left' },
  { value: 'right', label: 'Right' },
];

export function AssessmentWizard({ client }: { client: Client }) {
  const { user } = useAuth();
  const tests = useAsync(loadTests, []);
  const vocabulary = useAsync(loadVocabulary, []);
  const restored = useMemo(() => drafts.load<Draft>(draftKey(client.id)), [client.id]);
  // The practitioner's last choices (this browser, per user); their own test
  // sets are on the server (sets an older version kept here are moved there once).
  const [prefs, setPrefsState] = useState<PractitionerPrefs>(() => ({ ...practitionerPrefs.load(user.id), sets: [] }));
  const setPrefs = (p: PractitionerPrefs) => {
    setPrefsState(p);
    practitionerPrefs.saveChoices(user.id, p);
  };
  const migration = useRef<Migration | null>(null);
  const own = useAsync(async () => {
    const sets = await listOwnSets(api);
    if (practitionerPrefs.load(user.id).sets.length === 0) return sets;
    const known = new Set((await loadTests()).map(testKey));
    const m = await migrateOnce(api, practitionerPrefs, user.id, sets, known);
    migration.current = m;
    return m.sets;
  }, [user.id]);
  const ownSets = own.data ?? [];
  const setOwnSets = (sets: TestSet[]) => own.setData(sets);
  const fresh = (sets: TestSet[] = ownSets) => {
    const set = prefs.lastSet ? findSet(sets, prefs.lastSet) : undefined;
    return emptyForm(isoDate(new Date()), { units: prefs.units, test_set: set?.id ?? ALL_TESTS, selection: set ? [...set.tests] : null });
  };
  const [form, setForm] = useState<WizardForm>(() => (restored ? completeForm(restored.data.form) : fresh()));
  // A new exam starts with the set picked last; when that is one of the
  // practitioner's own, it is known once their sets have loaded.
  const waitingForLast = useRef(!restored && !!prefs.lastSet && !BUILT_IN_SETS.some((s) => s.id === prefs.lastSet));
  const update: Update = useCallback((fn) => {
    setForm((f) => {
      const next = clone(f);
      fn(next);
      return next;
    });
  }, []);
  useEffect(() => {
    if (!own.data) return;
    const m = migration.current;
    migration.current = null; // applied once
    if (m) {
      // A draft or a last choice naming a set by its old id in this browser.
      if (prefs.lastSet && m.moved[prefs.lastSet]) setPrefsState((p) => ({ ...p, lastSet: m.moved[prefs.lastSet!] }));
      if (form.test_set && m.moved[form.test_set]) update((f) => (f.test_set = m.moved[f.test_set] ?? f.test_set));
    }
    if (waitingForLast.current) {
      waitingForLast.current = false;
      const last = m?.moved[prefs.lastSet ?? ''] ?? prefs.lastSet;
      const set = last ? findSet(own.data, last) : undefined;
      if (set && form.test_set === ALL_TESTS && form.selection === null)
        update((f) => {
          f.test_set = set.id;
          f.selection = [...set.tests];
        });
    }
  }, [own.data, prefs.lastSet, form.test_set, form.selection, update]);
  const [step, setStep] = useState(() => Math.min(restored?.data.step ?? 0, STEPS.length - 1));
  const [serverProblems, setServerProblems] = useState<Problem[] | null>(null);
  const [serverState, setServerState] = useState<'idle' | 'checking' | 'ok'>('idle');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [saved, setSaved] = useState<'saved' | 'failed' | null>(restored ? 'saved' : null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Save every change; nothing typed is lost on reload.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    setSaved(drafts.save<Draft>(draftKey(client.id), { form, step }) ? 'saved' : 'failed');
  }, [form, step, client.id]);

  const built = useMemo(
    () => buildIntake(form, tests.data ?? [], vocabulary.data ?? { screening: [] }, client.name, user.name),
    [form, tests.data, vocabulary.data, client.name, user.name],
  );
  const local = useMemo(() => localProblems(built.intake, vocabulary.data ?? { posture: [] }), [built, vocabulary.data]);

  // Server validation, debounced.
  const validation = useRef(0);
  useEffect(() => {
    if (!tests.data || !vocabulary.data) return;
    // In-flight checks are not aborted (an aborted request reads as a failure
    // in the browser's log); a stale answer is simply ignored.
    const t = setTimeout(async () => {
      const n = ++validation.current;
      setServerState('checking');
      try {
        const r = await api.post<Answer<'/api/v1/intake/validate', 'post'>>('/api/v1/intake/validate', built.intake);
        if (n !== validation.current) return;
        setServerProblems(r.problems ?? []);
        setServerState('ok');
      } catch {
        if (n === validation.current) setServerState('idle');
      }
    }, 400);
    return () => clearTimeout(t);
  }, [built, tests.data, vocabulary.data]);

  const problems = useMemo(() => mergeProblems(local, serverProblems), [local, serverProblems]);
  const byField = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of problems) {
      const f = fieldOfPath(p.path, built.fields);
      m.set(f, [...(m.get(f) ?? []), `expected ${p.expected}, found ${p.found}`]);
    }
    return m;
  }, [problems, built.fields]);
  const errorsFor: ErrorsFor = (field) => {
    const out: string[] = [];
    for (const [k, v] of byField) if (k === field || k.startsWith(field + '.')) out.push(...v);
    return out;
  };
  const perStep = useMemo(() => {
    const m = new Map<string, number>();
    for (const k of byField.keys()) {
      const s = stepOfField(k);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
    return m;
  }, [byField]);

  const go = (i: number) => {
    setStep(i);
    setTimeout(() => headingRef.current?.focus(), 0);
  };

  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const discard = () => {
    setConfirmDiscard(false);
    drafts.discard(draftKey(client.id));
    setForm(fresh());
    setServerProblems(null);
    setSaved(null);
    go(0);
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    try {
      const r = await api.post<Answer<'/api/v1/clients/{id}/assessments', 'post'>>(`/api/v1/clients/${client.id}/assessments`, built.intake);
      drafts.discard(draftKey(client.id));
      navigate(`/clients/${client.id}/findings/${r.id}`);
    } catch (e) {
      setSubmitError(e);
      if (e instanceof ApiError && e.problems.length) setServerProblems(e.problems);
    } finally {
      setSubmitting(false);
    }
  };

  if ((tests.loading && !tests.data) || (vocabulary.loading && !vocabulary.data)) return <Loading label="Loading the test library…" />;
  if (tests.error || !tests.data) return <ErrorBox error={tests.error} onRetry={tests.reload} />;
  if (vocabulary.error || !vocabulary.data) return <ErrorBox error={vocabulary.error} onRetry={vocabulary.reload} />;

  const current = STEPS[step];
  const ownState: OwnSets = {
    sets: ownSets,
    loading: own.loading && !own.data,
    error: own.error,
    reload: own.reload,
    set: setOwnSets,
    migration: migration.current,
  };
  const stepProps = { form, update, errorsFor, tests: tests.data, vocabulary: vocabulary.data, prefs, setPrefs, own: ownState };
  return (
    <section class="wizard card" aria-labelledby="wizard-step-title" data-testid="wizard">
      <div class="row-between wrap">
        <p class="muted small" aria-live="polite">
          {saved === 'saved' ? 'Draft saved on this device.' : saved === 'failed' ? 'This browser refused to save the draft.' : 'New assessment.'}{' '}
          {serverState === 'checking' ? 'Checking…' : serverState === 'ok' ? 'Checked by the server.' : ''}
        </p>
        {confirmDiscard ? (
          <div class="btn-row" role="group" aria-label="Discard the draft?">
            <span class="small">Delete everything entered so far?</span>
            <button type="button" class="btn secondary small" onClick={discard} data-testid="wizard-discard-confirm">
              Yes, discard
            </button>
            <button type="button" class="btn ghost small" onClick={() => setConfirmDiscard(false)}>
              Keep
            </button>
          </div>
        ) : (
          <button type="button" class="btn ghost small" onClick={() => setConfirmDiscard(true)} data-testid="wizard-discard">
            Discard draft
          </button>
        )}
      </div>
      <nav aria-label="Assessment steps" class="stepper">
        <ol>
          {STEPS.map((s, i) => {
            const n = perStep.get(s.id) ?? 0;
            return (
              <li key={s.id}>
                <button
                  type="button"
                  class={`step-btn ${i === step ? 'current' : ''} ${n ? 'has-problems' : ''}`}
                  aria-current={i === step ? 'step' : undefined}
                  onClick={() => go(i)}
                  data-testid={`wizard-step-${s.id}`}
                >
                  <span class="step-n" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span class="step-title">{s.title}</span>
                  {n > 0 && <span class="visually-hidden">, {n} problems</span>}
                  {n > 0 && (
                    <span class="step-problems" aria-hidden="true">
                      {n}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <h2 id="wizard-step-title" tabIndex={-1} ref={headingRef} data-testid="wizard-step-title">
        {step + 1}. {current.title}
      </h2>
      <div class="wizard-body">
        {current.id === 'client' && <ClientStep {...stepProps} />}
        {current.id === 'pain' && <PainStep {...stepProps} />}
        {current.id === 'posture' && <PostureStep {...stepProps} />}
        {(current.id === 'rom' || current.id === 'strength' || current.id === 'endurance') && <TestsStep {...stepProps} section={current.id} />}
        {current.id === 'movement' && <MovementStep {...stepProps} />}
        {current.id === 'review' && (
          <ReviewStep
            intake={built.intake}
            problems={problems}
            fields={built.fields}
            onGo={(s) => go(STEPS.findIndex((x) => x.id === s))}
            submitError={submitError}
          />
        )}
      </div>
      <div class="wizard-nav">
        <button type="button" class="btn secondary" disabled={step === 0} onClick={() => go(step - 1)} data-testid="wizard-back">
          Back
        </button>
        {step < STEPS.length - 1 ? (
          <button type="button" class="btn primary" onClick={() => go(step + 1)} data-testid="wizard-next">
            Next: {STEPS[step + 1].title}
          </button>
        ) : (
          <button type="button" class="btn primary" onClick={submit} disabled={submitting || problems.length > 0} data-testid="wizard-submit">
            {submitting ? 'Assessing…' : 'Submit assessment'}
          </button>
        )}
      </div>
    </section>
  );
}

interface StepProps {
  form: WizardForm;
  update: Update;
  errorsFor: ErrorsFor;
  tests: TestDef[];
  /** The knowledge base's vocabularies: every list a step offers. */
  vocabulary: VocabularyDoc;
  prefs: PractitionerPrefs;
  setPrefs: (p: PractitionerPrefs) => void;
  own: OwnSets;
}

/** The practitioner's own test sets (on the server), as the wizard has them. */
interface OwnSets {
  sets: TestSet[];
  loading: boolean;
  error: unknown;
  reload: () => void;
  set: (sets: TestSet[]) => void;
  /** What moving this browser's sets to the server did, when it ran on this page. */
  migration: Migration | null;
}

function Fieldset({ legend, children, class: cls }: { legend: string; children: ComponentChildren; class?: string }) {
  return (
    <fieldset class={cls}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

function UnitNumber(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  unit: string;
  units: string[];
  onUnit: (u: string) => void;
  errors: string[];
  testId?: string;
}) {
  const id = useId('u');
  return (
    <div class={`field unit-field ${props.errors.length ? 'has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      <div class="input-unit">
        <input
          id={id}
          inputMode="decimal"
          value={props.value}
          aria-invalid={props.errors.length ? true : undefined}
          aria-describedby={props.errors.length ? `${id}-err` : undefined}
          data-testid={props.testId}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
        />
        <label class="visually-hidden" for={`${id}-unit`}>
          Unit for {props.label}
        </label>
        <select id={`${id}-unit`} value={props.unit} onChange={(e) => props.onUnit((e.currentTarget as HTMLSelectElement).value)}>
          {props.units.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <FieldError id={`${id}-err`} messages={props.errors} />
    </div>
  );
}

function ClientStep({ form, update, errorsFor, vocabulary }: StepProps) {
  return (
    <div class="stack">
      <Fieldset legend="Client">
        <div class="grid-3">
          <TextField label="Date of assessment" type="date" value={form.assessed_on} onInput={(v) => update((f) => (f.assessed_on = v))} errors={errorsFor('assessed_on')} />
          <TextField label="Age (years)" inputMode="numeric" value={form.client.age} onInput={(v) => update((f) => (f.client.age = v))} errors={errorsFor('client.age')} testId="intake-age" />
          <SelectField
            label="Sex"
            value={form.client.sex}
            onChange={(v) => update((f) => (f.client.sex = v))}
            options={[
              { value: '', label: 'Not given' },
              { value: 'female', label: 'Female' },
              { value: 'male', label: 'Male' },
              { value: 'other', label: 'Other' },
            ]}
            errors={errorsFor('client.sex')}
          />
          <SelectField
            label="Dominant side"
            value={form.client.dominant_side}
            onChange={(v) => update((f) => (f.client.dominant_side = v))}
            options={[
              { value: '', label: 'Not given' },
              { value: 'left', label: 'Left' },
              { value: 'right', label: 'Right' },
            ]}
            errors={errorsFor('client.dominant_side')}
          />
          <UnitNumber
            label="Body mass"
            value={form.client.mass}
            onInput={(v) => update((f) => (f.client.mass = v))}
            unit={form.client.mass_unit}
            units={['kg', 'lb']}
            onUnit={(u) => update((f) => (f.client.mass_unit = u as 'kg' | 'lb'))}
            errors={errorsFor('client.mass')}
          />
          <UnitNumber
            label="Height"
            value={form.client.height}
            onInput={(v) => update((f) => (f.client.height = v))}
            unit={form.client.height_unit}
            units={['cm', 'in']}
            onUnit={(u) => update((f) => (f.client.height_unit = u as 'cm' | 'in'))}
            errors={errorsFor('client.height')}
          />
        </div>
      </Fieldset>
      <Fieldset legend="Lifestyle">
        <TextField
          label="Sitting hours per day"
          inputMode="decimal"
          value={form.lifestyle.sitting_hours_per_day}
          onInput={(v) => update((f) => (f.lifestyle.sitting_hours_per_day = v))}
          errors={errorsFor('lifestyle.sitting_hours_per_day')}
          testId="intake-sitting"
          class="narrow"
        />
        <p class="group-label">Regular activities</p>
        <div class="checks">
          {vocabulary.activities.map(({ id, name }) => (
            <Checkbox
              key={id}
              label={name}
              checked={form.lifestyle.activities.includes(id)}
              onChange={(on) => update((f) => (f.lifestyle.activities = toggle(f.lifestyle.activities, id, on)))}
              testId={`activity-${id}`}
            />
          ))}
        </div>
        <FieldError id="activities-err" messages={errorsFor('lifestyle.activities')} />
      </Fieldset>
      <Fieldset legend="Program preferences">
        <div class="grid-3">
          <TextField label="Days per week" hint="1–7; default 3" inputMode="numeric" value={form.preferences.days_per_week} onInput={(v) => update((f) => (f.preferences.days_per_week = v))} errors={errorsFor('preferences.days_per_week')} />
          <TextField label="Minutes per session" hint="5–180; default 20" inputMode="numeric" value={form.preferences.minutes_per_session} onInput={(v) => update((f) => (f.preferences.minutes_per_session = v))} errors={errorsFor('preferences.minutes_per_session')} />
          <TextField label="Weeks" hint="1–52; default 8" inputMode="numeric" value={form.preferences.weeks} onInput={(v) => update((f) => (f.preferences.weeks = v))} errors={errorsFor('preferences.weeks')} />
        </div>
        <p class="group-label">Equipment available (none ticked: bodyweight only)</p>
        <div class="checks">
          {/* "none" is what an exercise without equipment needs; here, no box ticked says it. */}
          {vocabulary.equipment.filter((e) => e.id !== 'none').map(({ id, name }) => (
            <Checkbox
              key={id}
              label={name}
              checked={form.preferences.equipment.includes(id)}
              onChange={(on) => update((f) => (f.preferences.equipment = toggle(f.preferences.equipment, id, on)))}
            />
          ))}
        </div>
      </Fieldset>
    </div>
  );
}

function PainStep({ form, update, errorsFor, vocabulary }: StepProps) {
  // A spot on the figure is a toggle (aria-pressed): pressed again, it takes
  // off a pain nothing has been entered for yet (the other side of a pain on
  // both sides stays). A pain with an intensity or red flags is never lost to
  // a tap: the spot moves to its entry, which has its own Remove button.
  const pick = (region: string, side: SideKey) => {
    const i = form.pain.findIndex((p) => p.region === region && (p.side === side || p.side === 'both' || side === 'both'));
    if (i >= 0) {
      const entry = form.pain[i];
      if (entry.intensity !== '' || entry.red_flags.length > 0) {
        document.getElementById(`pain-entry-${i}`)?.focus();
        return;
      }
      update((f) => {
        f.pain = f.pain.flatMap((p) => {
          if (p.region !== region) return [p];
          if (side === 'both' || p.side === side) return [];
          if (p.side === 'both') return [{ ...p, side: side === 'left' ? 'right' : 'left' }];
          return [p];
        });
      });
      return;
    }
    update((f) => f.pain.push({ region, side, intensity: '', red_flags: [] }));
    setTimeout(() => document.getElementById(`pain-entry-${form.pain.length}`)?.focus(), 0);
  };
  return (
    <div class="stack">
      <div class="pain-layout">
        <PainPicker regions={vocabulary.regions} selected={form.pain} onPick={pick} />
        <div class="stack">
          {form.pain.length === 0 && <p class="empty">No pain recorded. Tap a spot on the figure if the client reports pain.</p>}
          {form.pain.map((p, i) => (
            <fieldset key={i} class="pain-entry" data-testid="pain-entry">
              <legend id={`pain-entry-${i}`} tabIndex={-1}>
                {regionName(vocabulary, p.region)}
                {p.side !== 'both' ? `, ${p.side}` : ''}
              </legend>
              <div class="grid-3">
                <SelectField
                  label="Region"
                  value={p.region}
                  onChange={(v) => update((f) => (f.pain[i].region = v))}
                  options={vocabulary.regions.map(({ id, name }) => ({ value: id, label: name }))}
                  errors={errorsFor(`pain.${i}.region`)}
                />
                <SelectField label="Side" value={p.side} onChange={(v) => update((f) => (f.pain[i].side = v as SideKey))} options={SIDE_OPTIONS} errors={errorsFor(`pain.${i}.side`)} />
                <TextField
                  label="Intensity (0–10)"
                  inputMode="numeric"
                  value={p.intensity}
                  onInput={(v) => update((f) => (f.pain[i].intensity = v))}
                  errors={errorsFor(`pain.${i}.intensity`)}
                  testId={`pain-intensity-${i}`}
                />
              </div>
              <details class="red-flags" open={p.red_flags.length > 0}>
                <summary>Red flags {p.red_flags.length > 0 ? `(${p.red_flags.length})` : ''}</summary>
                <div class="checks">
                  {vocabulary.red_flags.map(({ id, name, systemic }) => (
                    <Checkbox
                      key={id}
                      label={
                        <>
                          {name}
                          {systemic && <span class="muted small"> (stops the whole program)</span>}
                        </>
                      }
                      checked={p.red_flags.includes(id)}
                      onChange={(on) => update((f) => (f.pain[i].red_flags = toggle(f.pain[i].red_flags, id, on)))}
                      testId={`red-flag-${i}-${id}`}
                    />
                  ))}
                </div>
              </details>
              <button type="button" class="btn ghost small" onClick={() => update((f) => f.pain.splice(i, 1))}>
                Remove {regionName(vocabulary, p.region).toLowerCase()} pain
              </button>
            </fieldset>
          ))}
        </div>
      </div>
      <Fieldset legend="Screening">
        <div class="checks">
          {vocabulary.screening.map(({ id, name }) => (
            <Checkbox key={id} label={name} checked={form.screening[id] === true} onChange={(on) => update((f) => (f.screening[id] = on))} />
          ))}
        </div>
        {vocabulary.screening
          .filter((item) => form.screening[item.id] === true)
          .flatMap((item) => item.parameters)
          .map((param) => (
            <SelectField
              key={param.id}
              label={param.name}
              value={String(form.screening[param.id] ?? '')}
              onChange={(v) => update((f) => (f.screening[param.id] = v))}
              options={[{ value: '', label: 'Choose…' }, ...vocabulary.regions.map(({ id, name }) => ({ value: id, label: name }))]}
              errors={errorsFor(`screening.${param.id}`)}
              class="narrow"
            />
          ))}
        <FieldError
          id="screening-err"
          messages={errorsFor('screening').filter((m) => !vocabulary.screening.some((item) => item.parameters.some((param) => errorsFor(`screening.${param.id}`).includes(m))))}
        />
      </Fieldset>
    </div>
  );
}

/** A posture measure's unit as written after a number ("°", " cm"). */
function unitSymbol(unit: string | undefined): string {
  return unit === 'deg' ? '°' : unit ? ` ${unit}` : '';
}

/** How to take a posture measure and the limit the engine judges it by, for its field's hint. */
function postureHint(m: VocabularyDoc['posture'][number]): string {
  const limit =
    m.below !== undefined
      ? `A finding below ${m.below}${unitSymbol(m.unit)}.`
      : m.above !== undefined
        ? `A finding above ${m.above}${unitSymbol(m.unit)}.`
        : m.judged === false
          ? 'Recorded for tracking, not judged.'
          : '';
  return [m.hint, limit].filter(Boolean).join(' ');
}

function PostureStep({ form, update, errorsFor, vocabulary }: StepProps) {
  const observations = vocabulary.posture.filter((m) => m.kind === 'boolean');
  const measures = vocabulary.posture.filter((m) => m.kind === 'number');
  const sideName = (key: string) => termName(vocabulary.posture, key) ?? key;
  return (
    <div class="stack">
      <Fieldset legend="Observations">
        <div class="checks">
          {observations.map(({ id, name }) => (
            <Checkbox
              key={id}
              label={name}
              checked={form.posture.flags.includes(id)}
              onChange={(on) => update((f) => (f.posture.flags = toggle(f.posture.flags, id, on)))}
              testId={`posture-${id}`}
            />
          ))}
        </div>
      </Fieldset>
      <Fieldset legend="Measurements">
        <div class="grid-2">
          {measures.map((m) => (
            <div key={m.id} class="stack-tight">
              <TextField
                label={`${m.name} (${unitSymbol(m.unit).trim()})`}
                inputMode="decimal"
                value={form.posture.numbers[m.id] ?? ''}
                onInput={(v) => update((f) => (f.posture.numbers[m.id] = v))}
                errors={errorsFor(`posture.${m.id}`)}
                hint={postureHint(m) || undefined}
                testId={`posture-${m.id}`}
              />
              {m.side_key && (
                <SelectField
                  label={sideName(m.side_key)}
                  value={form.posture.sides[m.side_key] ?? ''}
                  onChange={(v) => update((f) => (f.posture.sides[m.side_key!] = v))}
                  options={[
                    { value: '', label: 'Not given' },
                    { value: 'left', label: 'Left' },
                    { value: 'right', label: 'Right' },
                  ]}
                  errors={errorsFor(`posture.${m.side_key}`)}
                />
              )}
            </div>
          ))}
        </div>
      </Fieldset>
    </div>
  );
}

const STRENGTH_UNITS: [string, string][] = [
  ['N', 'N (newtons)'],
  ['kg', 'kg (kilogram-force)'],
  ['lb', 'lb (pound-force)'],
  ['Nm', 'Nm (isokinetic torque)'],
  ['mmt', 'MMT grade (0–5)'],
];

function unitName(u: string): string {
  return u === 'mmt' ? 'MMT grade' : u === 'in' ? 'inches' : u;
}

/** "Judged against ≥ 72 s (men 21-60: 25th percentile)": the engine's own limit for this client, rounded to what is measured. */
function ReferenceLine({ t, testKeyId, client, unit, position }: { t: TestDef; testKeyId: string; client: ClientFacts; unit: string; position: string }) {
  const refs = referencesFor(t, client, { unit, position });
  if (!refs.length)
    return (
      <p class="muted small reference" data-testid={`reference-${testKeyId}`}>
        Not judged against a limit{t.sided ? '; left and right are compared' : ''}.
      </p>
    );
  const text = refs.map((r) => (r.comparison === 'equals' ? `expected ${r.text}` : `${r.text}${r.label ? ` (${r.label})` : ''}`)).join('; ');
  return (
    <p
      class="muted small reference"
      data-testid={`reference-${testKeyId}`}
      data-values={JSON.stringify(refs.filter((r) => r.value !== undefined).map((r) => r.value))}
    >
      Judged against: {text}
    </p>
  );
}

function TestCard(props: {
  t: TestDef;
  tf: TestForm;
  update: Update;
  errorsFor: ErrorsFor;
  units: SectionUnits;
  client: ClientFacts;
  inSet?: boolean;
  onToggleSet?: () => void;
}) {
  const { t, tf, update, errorsFor } = props;
  const key = testKey(t);
  const set = (fn: (x: TestForm) => void) =>
    update((f) => {
      const cur = f.tests[key] ?? { values: {} };
      fn(cur);
      f.tests[key] = cur;
    });
  const measures = measuresOf(t);
  const units = t.section === 'strength' ? strengthUnits(t) : measures.includes('cm') ? ['cm', 'in'] : [];
  const unit = unitOf(t, tf, props.units);
  const sectionUnit = unitOf(t, undefined, props.units);
  const methods = (t.methods ?? []).filter((m) => m !== 'mmt');
  const filled = hasValues(tf);
  return (
    <article class={`test-card ${filled ? 'filled' : ''}`} data-testid={`test-${key}`} aria-labelledby={`t-${key}`}>
      <div class="test-card-head">
        <h3 id={`t-${key}`}>{t.name}</h3>
        {props.onToggleSet && (
          <button type="button" class="btn ghost small" aria-pressed={props.inSet} onClick={props.onToggleSet} data-testid={`in-set-${key}`}>
            {props.inSet ? 'In the set' : 'Add to the set'}
            <span class="visually-hidden">: {t.name}</span>
          </button>
        )}
      </div>
      <ReferenceLine t={t} testKeyId={key} client={props.client} unit={unit} position={tf.position ?? ''} />
      <details class="howto">
        <summary>How to perform</summary>
        {t.how_to && <p>{t.how_to}</p>}
        {t.watch && (
          <p>
            <strong>Watch for:</strong> {t.watch}
          </p>
        )}
        {t.positive && (
          <p>
            <strong>Positive:</strong> {t.positive}
          </p>
        )}
        {t.default_protocol && (
          <p>
            <strong>Default protocol:</strong> {t.default_protocol}
          </p>
        )}
        {t.measurement_error && (t.measurement_error.mdc || t.measurement_error.sem) && (
          <p class="muted small">
            Measurement error:{t.measurement_error.sem ? ` SEM ${t.measurement_error.sem} ${t.measurement_error.unit ?? ''}` : ''}
            {t.measurement_error.mdc ? ` · MDC ${t.measurement_error.mdc} ${t.measurement_error.unit ?? ''}` : ''}
          </p>
        )}
      </details>
      {(units.length > 1 || (t.section === 'strength' && methods.length > 0) || (t.positions?.length ?? 0) > 0) && (
        <details class="test-options-box" open={!!(tf.unit || tf.method || tf.position) || undefined}>
          <summary>
            Options{' '}
            <span class="muted small">
              ({[unitName(unit), tf.method ? humanize(tf.method) : '', tf.position ? humanize(tf.position) : ''].filter(Boolean).join(', ') || 'defaults'})
            </span>
          </summary>
          <div class="test-options">
            {units.length > 1 && (
              <SelectField
                label="Unit for this test"
                value={tf.unit && units.includes(tf.unit) ? tf.unit : ''}
                onChange={(v) => set((x) => (x.unit = v || undefined))}
                options={[{ value: '', label: `As the section (${unitName(sectionUnit)})` }, ...units.map((u) => ({ value: u, label: unitName(u) }))]}
                class="narrow"
              />
            )}
            {t.section === 'strength' && unit !== 'mmt' && methods.length > 0 && (
              <SelectField
                label="Method"
                value={tf.method ?? ''}
                onChange={(v) => set((x) => (x.method = v))}
                options={[{ value: '', label: `Default (${humanize(unit === 'Nm' && methods.includes('isokinetic') ? 'isokinetic' : (t.default_method ?? 'handheld'))})` }, ...methods.map((m) => ({ value: m, label: humanize(m) }))]}
                class="narrow"
              />
            )}
            {t.positions && t.positions.length > 0 && (
              <SelectField
                label="Position"
                value={tf.position ?? ''}
                onChange={(v) => set((x) => (x.position = v))}
                options={[{ value: '', label: `Default (${humanize(t.default_position ?? t.positions[0])})` }, ...t.positions.map((p) => ({ value: p, label: humanize(p) }))]}
                class="narrow"
              />
            )}
          </div>
        </details>
      )}
      <div class="test-sides">
        {sidesOf(t).map((side) => (
          <div key={side} class="test-side">
            {measures.map((m) => {
              const label = `${t.sided ? (side === 'left' ? 'Left' : 'Right') + ' ' : ''}${m === 'result' ? 'result' : m === 'value' ? (unit === 'mmt' ? 'grade' : `(${unit})`) : m === 'cm' ? `(${unit})` : m === 'degrees' ? '(°)' : '(s)'}`;
              const fieldKey = `${key}.${side}`;
              const own = (x: string) => errorsFor(`${fieldKey}.${x}`);
              const errs =
                m === measures[measures.length - 1]
                  ? errorsFor(fieldKey).filter((msg) => !measures.slice(0, -1).some((o) => own(o).includes(msg)))
                  : own(m);
              const value = tf.values[m]?.[side] ?? '';
              const onInput = (v: string) =>
                set((x) => {
                  x.values[m] = { ...(x.values[m] ?? {}), [side]: v };
                });
              if (m === 'result')
                return (
                  <SelectField
                    key={m}
                    label={label.trim()}
                    value={value}
                    onChange={onInput}
                    options={[
                      { value: '', label: 'Not tested' },
                      { value: 'negative', label: 'Negative' },
                      { value: 'positive', label: 'Positive' },
                    ]}
                    errors={errs}
                    testId={`input-${key}-${side}-${m}`}
                  />
                );
              return (
                <TextField
                  key={m}
                  label={label.trim()}
                  inputMode={unit === 'mmt' ? 'text' : 'decimal'}
                  value={value}
                  onInput={onInput}
                  errors={errs}
                  testId={`input-${key}-${side}-${m}`}
                />
              );
            })}
          </div>
        ))}
      </div>
    </article>
  );
}

/** Picks the test set for the exam (all three test steps share it), the section's unit, and saves the selection as the practitioner's own set (on the server). */
function TestSetBar({ form, update, prefs, setPrefs, tests, section, own }: StepProps & { section: 'rom' | 'strength' | 'endurance' }) {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const sets = allSets(own.sets);
  const current = form.test_set ? findSet(own.sets, form.test_set) : undefined;
  const inSection = tests.filter((t) => t.section === section);
  const shown = visibleTests(tests, section, form.selection, !!form.show_all[section], (k) => hasValues(form.tests[k]));
  const pick = (id: string) => {
    const s = id ? findSet(own.sets, id) : undefined;
    update((f) => {
      f.test_set = s?.id ?? ALL_TESTS;
      f.selection = s ? [...s.tests] : null;
      f.show_all = {};
    });
    setPrefs({ ...prefs, lastSet: s?.id });
    setNote('');
    setDeleteError(null);
  };
  const nameOf = (key: string) => tests.find((t) => testKey(t) === key)?.name ?? key;
  const save = async () => {
    const n = name.trim();
    if (!n || busy) return;
    if (n.length > NAME_MAX) {
      setSaveError(new ApiError(400, 'invalid_body', `Use a name of at most ${NAME_MAX} characters (this one has ${n.length}).`, '$.name'));
      return;
    }
    // The working selection (or every test shown) and whatever has a value.
    const keys = [
      ...(form.selection ?? tests.map(testKey)),
      ...Object.keys(form.tests).filter((k) => hasValues(form.tests[k])),
    ];
    const req = templateRequest(n, keys, new Set(tests.map(testKey)));
    setBusy(true);
    setSaveError(null);
    try {
      const r = await saveOwnSet(api, own.sets, req);
      own.set(r.sets);
      update((f) => {
        f.test_set = r.set.id;
        f.selection = [...r.set.tests];
      });
      setPrefs({ ...prefs, lastSet: r.set.id });
      setNaming(false);
      setName('');
      setNote(`Saved “${r.set.name}” (${r.set.tests.length} tests) to your sets.`);
    } catch (e) {
      const key = e instanceof ApiError ? testOfPath(e.path, req.tests) : undefined;
      setSaveError(key ? new Error(`“${nameOf(key)}” cannot be saved in a set: ${errorMessage(e)}`) : e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (set: TestSet) => {
    setBusy(true);
    setDeleteError(null);
    try {
      await deleteOwnSet(api, set.id);
      own.set(withoutSet(own.sets, set.id));
    } catch (e) {
      // Not the caller's (any more): it is gone for them either way.
      if (e instanceof ApiError && e.status === 404) own.set(withoutSet(own.sets, set.id));
      else {
        setDeleteError(e);
        return;
      }
    } finally {
      setBusy(false);
    }
    setNote(`Deleted “${set.name}”.`);
    if (prefs.lastSet === set.id) setPrefs({ ...prefs, lastSet: undefined });
    update((f) => (f.test_set = ALL_TESTS));
  };
  const m = own.migration;
  const unitChoice =
    section === 'strength' ? (
      <SelectField
        label="Unit for every strength test"
        value={form.units.strength}
        onChange={(v) => {
          update((f) => (f.units.strength = v));
          setPrefs({ ...prefs, units: { ...prefs.units, strength: v } });
        }}
        options={STRENGTH_UNITS.map(([value, label]) => ({ value, label }))}
        testId="unit-strength"
        class="narrow"
      />
    ) : section === 'rom' ? (
      <SelectField
        label="Unit for distances"
        value={form.units.length}
        onChange={(v) => {
          update((f) => (f.units.length = v as 'cm' | 'in'));
          setPrefs({ ...prefs, units: { ...prefs.units, length: v } });
        }}
        options={[
          { value: 'cm', label: 'cm' },
          { value: 'in', label: 'inches (sent in cm)' },
        ]}
        testId="unit-length"
        class="narrow"
      />
    ) : null;
  return (
    <div class="test-set-bar" data-testid="test-set-bar">
      <div class="test-set-row">
        <SelectField
          label="Test set"
          value={current?.id ?? ALL_TESTS}
          onChange={pick}
          options={[{ value: ALL_TESTS, label: 'All tests' }, ...sets.map((s) => ({ value: s.id, label: s.builtIn ? s.name : `${s.name} (mine)` }))]}
          testId="test-set"
          class="narrow"
        />
        {unitChoice}
      </div>
      {current?.description && <p class="muted small">{current.description}</p>}
      <div class="btn-row">
        {form.selection !== null && (
          <button
            type="button"
            class="btn secondary small"
            aria-pressed={!!form.show_all[section]}
            onClick={() => update((f) => (f.show_all[section] = !f.show_all[section]))}
            data-testid={`show-all-${section}`}
          >
            {form.show_all[section] ? 'Show only the set’s tests' : `Show all tests (${inSection.length})`}
          </button>
        )}
        {!naming && (
          <button type="button" class="btn ghost small" onClick={() => setNaming(true)} data-testid="save-set">
            Save this selection as my set
          </button>
        )}
        {current && !current.builtIn && !naming && (
          <button type="button" class="btn ghost small" disabled={busy} onClick={() => void remove(current)} data-testid="delete-set">
            Delete “{current.name}”
          </button>
        )}
      </div>
      {own.error != null && (
        <div class="stack">
          <p class="small">Your own test sets could not be loaded; the built-in sets still work.</p>
          <ErrorBox error={own.error} onRetry={own.reload} testId="own-sets-error" />
        </div>
      )}
      {m && m.kept.length > 0 && (
        <ErrorBox
          error={new Error(
            `${m.kept.length === 1 ? `Your set “${m.kept[0].name}” stays` : `${m.kept.length} of your sets stay`} on this device for now: it could not be moved to your account (${errorMessage(m.error)}) It will be tried again next time.`,
          )}
          testId="own-sets-migration-error"
        />
      )}
      <ErrorBox error={deleteError} testId="delete-set-error" />
      {naming && (
        <form
          class="save-set"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <TextField
            label="Name of the set"
            value={name}
            onInput={(v) => {
              setName(v);
              if (fieldErrors(saveError, 'name').length) setSaveError(null);
            }}
            errors={fieldErrors(saveError, 'name')}
            testId="save-set-name"
            class="narrow"
          />
          <div class="btn-row">
            <button type="submit" class="btn primary small" disabled={!name.trim() || busy} data-testid="save-set-confirm">
              {busy ? 'Saving…' : 'Save set'}
            </button>
            <button
              type="button"
              class="btn ghost small"
              onClick={() => {
                setNaming(false);
                setSaveError(null);
              }}
            >
              Cancel
            </button>
          </div>
          <ErrorBox error={saveError} fields={['name']} testId="save-set-error" />
        </form>
      )}
      <p class="muted small" aria-live="polite">
        {note || (form.selection !== null ? `Showing ${shown.length} of ${inSection.length} tests in this step.` : '')}
      </p>
    </div>
  );
}

function TestsStep(props: StepProps & { section: 'rom' | 'strength' | 'endurance' }) {
  const { form, update, errorsFor, tests, section } = props;
  const list = visibleTests(tests, section, form.selection, !!form.show_all[section], (k) => hasValues(form.tests[k]));
  const client = clientFacts(form.client.age, form.client.sex);
  const intro: Record<string, string> = {
    rom: 'Goniometry in degrees, special tests as positive or negative, distances in the unit chosen below. Leave a test empty when it was not done.',
    strength: 'Choose the unit once for the section (a test can use its own under Options). Manual muscle test grades as you write them: "4+" records 4.5, "4-" records 3.5.',
    endurance: 'Hold times in seconds.',
  };
  const selected = new Set(form.selection ?? []);
  const toggle = (key: string) =>
    update((f) => {
      const cur = f.selection ?? [];
      f.selection = cur.includes(key) ? cur.filter((k) => k !== key) : [...cur, key];
    });
  return (
    <div class="stack">
      <p class="muted">{intro[section]}</p>
      <TestSetBar {...props} />
      {!form.client.age && !form.client.sex && <p class="muted small">Add the client’s age and sex in step 1 to see the limits for them.</p>}
      <div class="test-grid">
        {list.map((t) => (
          <TestCard
            key={t.id}
            t={t}
            tf={form.tests[testKey(t)] ?? { values: {} }}
            update={update}
            errorsFor={errorsFor}
            units={form.units}
            client={client}
            inSet={form.selection !== null ? selected.has(testKey(t)) : undefined}
            onToggleSet={form.selection !== null && form.show_all[section] ? () => toggle(testKey(t)) : undefined}
          />
        ))}
      </div>
    </div>
  );
}

function SideChecks({ label, value, onChange, sided, testId }: { label: string; value: SideKey[]; onChange: (v: SideKey[]) => void; sided: boolean; testId: string }) {
  if (!sided)
    return <Checkbox label={label} checked={value.length > 0} onChange={(on) => onChange(on ? ['both'] : [])} testId={testId} />;
  const has = (s: SideKey) => value.includes(s) || value.includes('both');
  const set = (s: 'left' | 'right', on: boolean) => {
    const l = s === 'left' ? on : has('left');
    const r = s === 'right' ? on : has('right');
    onChange([...(l ? (['left'] as SideKey[]) : []), ...(r ? (['right'] as SideKey[]) : [])]);
  };
  return (
    <fieldset class="side-checks">
      <legend>{label}</legend>
      <Checkbox label="Left" checked={has('left')} onChange={(on) => set('left', on)} testId={`${testId}-left`} />
      <Checkbox label="Right" checked={has('right')} onChange={(on) => set('right', on)} testId={`${testId}-right`} />
    </fieldset>
  );
}

const SCORE_OPTIONS = [
  { value: '', label: 'Not scored' },
  { value: '3', label: '3 · correct' },
  { value: '2', label: '2 · with compensation' },
  { value: '1', label: '1 · cannot perform' },
  { value: '0', label: '0 · pain' },
];

function MovementStep({ form, update, errorsFor, vocabulary }: StepProps) {
  const mv = form.movement;
  return (
    <div class="stack">
      <Fieldset legend="Overhead squat">
        <div class="side-grid">
          {vocabulary.movement.overhead_squat.map(({ id, name, sided }) => (
            <SideChecks
              key={id}
              label={name}
              sided={sided}
              value={mv.overhead_squat[id] ?? []}
              onChange={(v) => update((f) => (f.movement.overhead_squat[id] = v))}
              testId={`ohs-${id}`}
            />
          ))}
        </div>
        <FieldError id="ohs-err" messages={errorsFor('movement.overhead_squat')} />
      </Fieldset>
      <Fieldset legend="Single-leg squat (tick the stance leg)">
        <div class="side-grid">
          {vocabulary.movement.single_leg_squat.map(({ id, name }) => (
            <SideChecks
              key={id}
              label={name}
              sided
              value={mv.single_leg_squat[id] ?? []}
              onChange={(v) => update((f) => (f.movement.single_leg_squat[id] = v))}
              testId={`sls-${id}`}
            />
          ))}
        </div>
        <FieldError id="sls-err" messages={errorsFor('movement.single_leg_squat')} />
      </Fieldset>
      <Fieldset legend="Functional movement screen (FMS-compatible scores 0–3)">
        <div class="grid-2">
          {vocabulary.movement.fms.tests.map(({ id, name, sided }) => {
            const v = mv.fms[id];
            if (!sided)
              return (
                <SelectField
                  key={id}
                  label={name}
                  value={typeof v === 'string' ? v : ''}
                  onChange={(x) => update((f) => (f.movement.fms[id] = x))}
                  options={SCORE_OPTIONS}
                  errors={errorsFor(`movement.fms.${id}`)}
                />
              );
            const sv = typeof v === 'object' ? v : { left: '', right: '' };
            return (
              <fieldset key={id} class="fms-sided">
                <legend>{name}</legend>
                <div class="grid-2">
                  {(['left', 'right'] as const).map((side) => (
                    <SelectField
                      key={side}
                      label={side === 'left' ? 'Left' : 'Right'}
                      value={sv[side]}
                      onChange={(x) =>
                        update((f) => {
                          const cur = f.movement.fms[id];
                          const o = typeof cur === 'object' ? cur : { left: '', right: '' };
                          o[side] = x;
                          f.movement.fms[id] = o;
                        })
                      }
                      options={SCORE_OPTIONS}
                      errors={errorsFor(`movement.fms.${id}.${side}`)}
                    />
                  ))}
                </div>
                <FieldError id={`fms-${id}-err`} messages={errorsFor(`movement.fms.${id}`).filter((m) => !errorsFor(`movement.fms.${id}.left`).includes(m) && !errorsFor(`movement.fms.${id}.right`).includes(m))} />
              </fieldset>
            );
          })}
        </div>
        <div class="checks">
          {vocabulary.movement.fms.clearing.map(({ id, name }) => (
            <Checkbox key={id} label={name} checked={mv.clearing.includes(id)} onChange={(on) => update((f) => (f.movement.clearing = toggle(f.movement.clearing, id, on)))} />
          ))}
        </div>
      </Fieldset>
      <Fieldset legend="Y-balance-compatible reach test">
        <SelectField
          label="Unit"
          value={mv.y_balance.unit}
          onChange={(v) => update((f) => (f.movement.y_balance.unit = v as 'cm' | 'in'))}
          options={[
            { value: 'cm', label: 'cm' },
            { value: 'in', label: 'inches (sent in cm)' },
          ]}
          class="narrow"
        />
        <div class="grid-2">
          {(['left', 'right'] as const).map((side) => (
            <fieldset key={side}>
              <legend>{side === 'left' ? 'Left stance leg' : 'Right stance leg'}</legend>
              {(['anterior', 'posteromedial', 'posterolateral'] as const).map((dir) => (
                <TextField
                  key={dir}
                  label={`${humanize(dir)} (${mv.y_balance.unit})`}
                  inputMode="decimal"
                  value={mv.y_balance[side][dir] ?? ''}
                  onInput={(v) => update((f) => (f.movement.y_balance[side][dir] = v))}
                  errors={errorsFor(`movement.y_balance.${side}.${dir}`)}
                />
              ))}
              <FieldError id={`yb-${side}-err`} messages={errorsFor(`movement.y_balance.${side}`).filter((m) => !['anterior', 'posteromedial', 'posterolateral'].some((d) => errorsFor(`movement.y_balance.${side}.${d}`).includes(m)))} />
            </fieldset>
          ))}
        </div>
        <TextField
          label={`Limb length (${mv.y_balance.unit})`}
          inputMode="decimal"
          value={mv.y_balance.limb_length}
          onInput={(v) => update((f) => (f.movement.y_balance.limb_length = v))}
          errors={errorsFor('movement.y_balance.limb_length')}
          class="narrow"
        />
      </Fieldset>
    </div>
  );
}

function ReviewStep(props: { intake: Record<string, unknown>; problems: Problem[]; fields: Record<string, string>; onGo: (step: string) => void; submitError: unknown }) {
  const { intake, problems } = props;
  const count = (k: string) => (Array.isArray(intake[k]) ? (intake[k] as unknown[]).length : 0);
  const rows: [string, string][] = [
    ['Pain entries', String(count('pain'))],
    ['Posture items', String(Object.keys((intake.posture as object) ?? {}).length)],
    ['Range-of-motion entries', String(count('rom'))],
    ['Strength entries', String(count('strength'))],
    ['Endurance entries', String(count('endurance'))],
    ['Movement screens', Object.keys((intake.movement as object) ?? {}).map(humanize).join(', ') || 'none'],
  ];
  const onlyLifestyle = !count('rom') && !count('strength') && !count('endurance') && !intake.movement && !intake.posture;
  return (
    <div class="stack">
      {problems.length > 0 ? (
        <div class="error-box" role="alert" data-testid="review-problems">
          <p>
            {problems.length === 1 ? 'One entry needs' : `${problems.length} entries need`} fixing before the assessment can be submitted:
          </p>
          <ul>
            {problems.map((p) => {
              const step = stepOfField(fieldOfPath(p.path, props.fields));
              return (
                <li key={p.path}>
                  <button type="button" class="link-btn" onClick={() => props.onGo(step)}>
                    {p.message.replace(/^[^$]*(?=\$)/, '')}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ) : (
        <p class="notice ok" role="status">
          Everything entered is valid.
        </p>
      )}
      {onlyLifestyle && (
        <p class="notice">
          Only lifestyle and preferences are filled in. That is allowed (a self-assessment): findings will carry lower confidence.
        </p>
      )}
      <dl class="summary">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>Intake as it will be sent (rebalance.intake/1)</summary>
        <pre class="json">{JSON.stringify(intake, null, 2)}</pre>
      </details>
      <ErrorBox error={props.submitError instanceof ApiError && props.submitError.problems.length ? null : props.submitError} testId="submit-error" />
    </div>
  );
}
