// Instant local range checks on an intake as the wizard builds it. The
// expected-strings are copied from the engine (src/intake/intake_parse.cpp),
// so a local problem reads exactly like the one POST /assessments would give;
// the server's /intake/validate stays the authority for everything else.
import type { Schemas, VocabularyDoc } from '../types';

/** One problem with an input, as the engine words it (the API's `Problem`). */
export type Problem = Schemas['Problem'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** How the engine describes a JSON value in "found ...": strings quoted, at most 60 characters. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = JSON.stringify(value) ?? 'null';
  if (text.length > 60) text = text.slice(0, 57) + '...';
  return text;
}

export function problem(path: string, expected: string, found: string): Problem {
  return { path, expected, found, message: `${path}: expected ${expected}, found ${found}` };
}

/** The engine prints a double bound with nlohmann's dump: 0 -> "0.0", 2.5 -> "2.5". */
export function doubleText(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly list: Problem[] = [];

  number(obj: Obj, key: string, path: string, min: number, max: number, expected: string): void {
    if (!(key in obj)) return;
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) this.list.push(problem(`${path}.${key}`, expected, describe(v)));
  }

  integer(obj: Obj, key: string, path: string, min: number, max: number, expected: string): void {
    if (!(key in obj)) return;
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isInteger(v) || v < min || v > max)
      this.list.push(problem(`${path}.${key}`, expected, describe(v)));
  }

  score(v: Json, path: string): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 3) this.list.push(problem(path, 'a score 0-3', describe(v)));
  }
}

/**
 * Range checks of contract section 2 (and the engine's extra bounds), in the
 * engine's order of sections. Posture measures are held to the accepted
 * ranges of the knowledge base's vocabulary (`posture`, kind number).
 */
export function localProblems(intake: unknown, vocabulary: Pick<VocabularyDoc, 'posture'>): Problem[] {
  const c = new Checker();
  if (!isObj(intake)) return c.list;
  const client = intake.client;
  if (isObj(client)) {
    c.integer(client, 'age', '$.client', 1, 120, 'an age in whole years 1-120');
    c.number(client, 'mass_kg', '$.client', 1, 500, 'a body mass in kg (1-500)');
    c.number(client, 'height_cm', '$.client', 30, 275, 'a height in cm (30-275)');
  }
  const lifestyle = intake.lifestyle;
  if (isObj(lifestyle)) c.number(lifestyle, 'sitting_hours_per_day', '$.lifestyle', 0, 24, 'hours per day 0-24');
  const prefs = intake.preferences;
  if (isObj(prefs)) {
    c.integer(prefs, 'days_per_week', '$.preferences', 1, 7, 'whole days per week 1-7');
    c.integer(prefs, 'minutes_per_session', '$.preferences', 5, 180, 'whole minutes per session 5-180');
    c.integer(prefs, 'weeks', '$.preferences', 1, 52, 'whole weeks 1-52');
  }
  if (Array.isArray(intake.pain))
    intake.pain.forEach((p, i) => {
      if (isObj(p)) c.integer(p, 'intensity', `$.pain[${i}]`, 0, 10, 'a whole number 0-10');
    });
  const posture = intake.posture;
  if (isObj(posture))
    for (const m of vocabulary.posture)
      if (m.kind === 'number' && m.min !== undefined && m.max !== undefined)
        c.number(posture, m.id, '$.posture', m.min, m.max, `a number of ${m.unit ?? ''} (${doubleText(m.min)} to ${doubleText(m.max)})`);
  if (Array.isArray(intake.rom))
    intake.rom.forEach((r, i) => {
      if (!isObj(r)) return;
      c.number(r, 'degrees', `$.rom[${i}]`, -90, 200, 'a number of degrees (-90 to 200)');
      c.number(r, 'cm', `$.rom[${i}]`, 0, 300, 'a distance in cm (0-300)');
    });
  if (Array.isArray(intake.strength))
    intake.strength.forEach((s, i) => {
      if (!isObj(s)) return;
      const path = `$.strength[${i}]`;
      if (s.unit === 'mmt') {
        const expected = 'a manual muscle test grade 0-5 in steps of 0.5';
        c.number(s, 'value', path, 0, 5, expected);
        const v = s.value;
        if (typeof v === 'number' && v >= 0 && v <= 5 && !Number.isInteger(v * 2)) c.list.push(problem(`${path}.value`, expected, describe(v)));
      } else {
        c.number(s, 'value', path, 1e-9, 1e6, 'a positive number');
      }
    });
  if (Array.isArray(intake.endurance))
    intake.endurance.forEach((e, i) => {
      if (isObj(e)) c.number(e, 'seconds', `$.endurance[${i}]`, 0, 3600, 'seconds 0-3600');
    });
  const movement = intake.movement;
  if (isObj(movement)) {
    const fms = movement.fms;
    if (isObj(fms))
      for (const [key, v] of Object.entries(fms)) {
        if (typeof v === 'boolean') continue; // clearing tests
        if (isObj(v)) {
          if ('left' in v) c.score(v.left, `$.movement.fms.${key}.left`);
          if ('right' in v) c.score(v.right, `$.movement.fms.${key}.right`);
        } else {
          c.score(v, `$.movement.fms.${key}`);
        }
      }
    const y = movement.y_balance;
    if (isObj(y)) {
      for (const side of ['left', 'right']) {
        const s = y[side];
        if (!isObj(s)) continue;
        for (const dir of ['anterior', 'posteromedial', 'posterolateral'])
          c.number(s, dir, `$.movement.y_balance.${side}`, 0, 300, 'a reach in cm (0-300)');
      }
      c.number(y, 'limb_length_cm', '$.movement.y_balance', 1, 300, 'a limb length in cm (1-300)');
    }
  }
  return c.list;
}

/** Merges local and server problems: one per path, the server's wording winning. */
export function mergeProblems(local: Problem[], server: Problem[] | null): Problem[] {
  const byPath = new Map<string, Problem>();
  for (const p of local) byPath.set(p.path, p);
  if (server) for (const p of server) byPath.set(p.path, p);
  return [...byPath.values()];
}
