// The reference a test value is judged against, for one client, as the
// engine chooses it (src/kb/kb.cpp Threshold::for_client, applied by
// src/assess/assess.cpp apply_rules): the test's rules for the measure (a rule
// with a protocol position only for that position, else the test's default
// position), each rule's limit from the first age/sex band that matches the
// client, else its by-sex value, else its adult-wide value. Tests without a
// rule for a measure are not judged against a limit (no reference is shown).
// Shown values are rounded to the precision the measurement is taken at.
import type { TestDef, TestRule, TestThreshold } from '../types';
import { cmToIn, newtonsTo } from './units';

export interface ClientFacts {
  /** "female", "male", anything else (or nothing) reads as not given. */
  sex?: string;
  /** Whole years, as the engine reads the intake. */
  age?: number;
}

export interface Cut {
  value: number;
  /** The band's label ("men 21-60: 25th percentile"); empty for the adult-wide limit. */
  label: string;
}

export interface Reference {
  ruleId: string;
  measure: string;
  comparison: 'below' | 'above' | 'equals';
  /** The limit the engine holds the value against (unrounded, in the knowledge base's unit). */
  value?: number;
  /** For results: the result expected (the rule fires on the other). */
  equals?: string;
  label: string;
  /** As shown: "≥ 27 s", "≤ 2.5 cm", "grade 5", "negative". */
  text: string;
}

/** Threshold::for_client: the first band matching the client, else the by-sex value, else the plain value. */
export function cutFor(th: TestThreshold, client: ClientFacts): Cut {
  if (typeof th === 'number') return { value: th, label: '' };
  const sex = client.sex === 'female' || client.sex === 'male' ? client.sex : undefined;
  for (const b of th.bands ?? []) {
    if (b.sex && b.sex !== sex) continue;
    if (b.age_min !== undefined || b.age_max !== undefined) {
      if (client.age === undefined) continue;
      if (b.age_min !== undefined && client.age < b.age_min) continue;
      if (b.age_max !== undefined && client.age > b.age_max) continue;
    }
    return { value: b.value, label: b.label };
  }
  const by = th.by_sex;
  if (by) {
    if (sex === 'female' && by.female !== undefined) return { value: by.female, label: '' };
    if (sex === 'male' && by.male !== undefined) return { value: by.male, label: '' };
    return { value: by.default, label: '' };
  }
  return { value: th.value ?? 0, label: '' };
}

/** The knowledge base measure a strength unit records. */
export function strengthMeasure(unit: string): string {
  return unit === 'mmt' ? 'mmt' : unit === 'Nm' ? 'torque' : 'force';
}

/** Display step per unit: whole degrees and seconds, half centimetres, 5 N, half kilograms. */
const STEP: Record<string, number> = { '°': 1, s: 1, cm: 0.5, in: 0.25, N: 5, kg: 0.5, lb: 1, Nm: 1, grade: 0.5 };

function trim(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A limit rounded to the precision it is measured at, in the unit shown ("27 s", "2.5 cm", "160 N"). */
export function roundForDisplay(value: number, unit: string): string {
  const step = STEP[unit] ?? 1;
  const v = Math.round(value / step) * step;
  if (unit === 'grade') return `grade ${trim(v)}`;
  if (unit === '°') return `${trim(v)}°`;
  return `${trim(v)} ${unit}`;
}

/** The knowledge-base value of `measure` in the unit the practitioner records in, with that unit's label. */
function inUnit(value: number, measure: string, unit: string | undefined): [number, string] {
  switch (measure) {
    case 'degrees':
      return [value, '°'];
    case 'seconds':
      return [value, 's'];
    case 'cm':
      return unit === 'in' ? [cmToIn(value), 'in'] : [value, 'cm'];
    case 'force':
      return unit === 'kg' || unit === 'lb' ? [newtonsTo(value, unit), unit] : [value, 'N'];
    case 'torque':
      return [value, 'Nm'];
    case 'mmt':
      return [value, 'grade'];
    default:
      return [value, ''];
  }
}

function threshold(rule: TestRule): TestThreshold | undefined {
  return rule.threshold ?? rule.below ?? rule.above;
}

/**
 * The references for one test and client: per measure the test records in
 * (`unit` is the strength unit, or "in" for distances in inches), in the
 * chosen position (empty: the test's default).
 */
export function referencesFor(t: TestDef, client: ClientFacts, opts: { unit?: string; position?: string } = {}): Reference[] {
  const rules = t.rules ?? [];
  const measures = t.section === 'strength' ? [strengthMeasure(opts.unit || 'N')] : t.measures;
  const position = opts.position || t.default_position || '';
  const refs: Reference[] = [];
  for (const measure of measures) {
    const mine = rules.filter((r) => r.measure === measure && (r.position === undefined || r.position === '' || r.position === position));
    for (const r of mine) {
      if (r.equals !== undefined) {
        // The rule fires on its `equals`; the engine expects the other result.
        const expected = r.equals === 'positive' ? 'negative' : 'positive';
        refs.push({ ruleId: r.id, measure, comparison: 'equals', equals: expected, label: '', text: expected });
        continue;
      }
      const th = threshold(r);
      if (th === undefined) continue;
      const comparison = r.below !== undefined ? 'below' : 'above';
      const cut = cutFor(th, client);
      const [v, unit] = inUnit(cut.value, measure, opts.unit);
      // The engine flags values below a lower limit (normal: at least it) or above an upper one.
      const text = `${comparison === 'below' ? '≥' : '≤'} ${roundForDisplay(v, unit)}`;
      refs.push({ ruleId: r.id, measure, comparison, value: cut.value, label: cut.label, text });
    }
  }
  return refs;
}

/** The client's facts as the engine reads them from the wizard's typed age and sex. */
export function clientFacts(age: string, sex: string): ClientFacts {
  const t = age.trim();
  const n = /^\d+$/.test(t) ? Number(t) : undefined;
  return { sex: sex || undefined, age: n };
}
