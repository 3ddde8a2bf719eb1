// Checks the program editor makes while the practitioner types, by the same
// ranges the engine applies (plan::apply_edits: sets 1-10, reps 1-100, hold
// 1-600 s), so a change that must fail is never added; and the sessions an
// edit may be limited to.
import type { Program } from '../types';

export interface DoseInput {
  sets: string;
  reps: string;
  hold: string;
}

const RANGES = {
  sets: { min: 1, max: 10, whole: true, words: 'a whole number of sets from 1 to 10' },
  reps: { min: 1, max: 100, whole: true, words: 'a whole number of repetitions from 1 to 100' },
  hold: { min: 1, max: 600, whole: false, words: 'a hold of 1 to 600 seconds' },
} as const;

/** What is wrong with each dose field, in words (empty fields are fine: they keep the current value). */
export function doseProblems(d: DoseInput, side?: 'left' | 'right'): Partial<Record<keyof DoseInput, string>> {
  const out: Partial<Record<keyof DoseInput, string>> = {};
  for (const key of ['sets', 'reps', 'hold'] as const) {
    const text = d[key].trim();
    if (text === '') continue;
    const r = RANGES[key];
    const n = Number(text.replace(',', '.'));
    if (!Number.isFinite(n) || (r.whole && !Number.isInteger(n)) || n < r.min || n > r.max) out[key] = `Expected ${r.words}, found ${text}.`;
  }
  if (side) {
    if (d.sets.trim() === '') out.sets = out.sets ?? 'One side changes its sets: enter them.';
    if (d.reps.trim() !== '') out.reps = 'One side changes its sets only; both sides keep the repetitions.';
    if (d.hold.trim() !== '') out.hold = 'One side changes its sets only; both sides keep the hold.';
  }
  return out;
}

export interface SessionChoice {
  date: string;
  week: number;
  day: number;
}

/** The sessions holding an exercise, in order. */
export function sessionsWith(program: Program, exercise: string): SessionChoice[] {
  return program.sessions
    .filter((s) => s.items.some((i) => i.exercise === exercise))
    .map((s) => ({ date: s.date, week: s.week, day: s.day }));
}
