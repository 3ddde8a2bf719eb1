// The assessment wizard's form (strings as typed, units as chosen) and its
// conversion to a rebalance.intake/1 document. Inputs are identified by field
// keys ("client.age", "rom.thomas_test.left.degrees"); `fieldOfPath` maps a
// problem's JSON path back to the field that produced it.
import type { TestDef, VocabularyDoc } from '../types';
import { lengthToCm, massToKg, parseNumberInput, round } from './units';

export type SideKey = 'left' | 'right' | 'both';

export interface TestForm {
  /** measure -> side -> typed value ("positive"/"negative" for results). */
  values: Record<string, Partial<Record<SideKey, string>>>;
  unit?: string;
  method?: string;
  position?: string;
}

export interface PainForm {
  region: string;
  side: SideKey;
  intensity: string;
  red_flags: string[];
}

export interface WizardForm {
  assessed_on: string;
  client: { age: string; sex: string; dominant_side: string; mass: string; mass_unit: 'kg' | 'lb'; height: string; height_unit: 'cm' | 'in' };
  lifestyle: { sitting_hours_per_day: string; activities: string[] };
  preferences: { days_per_week: string; minutes_per_session: string; weeks: string; equipment: string[] };
  pain: PainForm[];
  /** Screening items ticked (id -> true) and the values they ask for (parameter id -> value). */
  screening: Record<string, boolean | string>;
  /** Observations seen, measures typed and the sides they name (side key -> left or right). */
  posture: { flags: string[]; numbers: Record<string, string>; sides: Record<string, string> };
  tests: Record<string, TestForm>;
  /** The test set picked ("" = all tests) and the tests it offers (null = all); lib/testsets.ts. */
  test_set: string;
  selection: string[] | null;
  /** Sections showing every test ("Show all tests"). */
  show_all: Record<string, boolean>;
  /** One unit per section; a test's own `unit` overrides it. */
  units: SectionUnits;
  movement: {
    overhead_squat: Record<string, SideKey[]>;
    single_leg_squat: Record<string, SideKey[]>;
    fms: Record<string, string | { left: string; right: string }>;
    clearing: string[];
    y_balance: { left: Record<string, string>; right: Record<string, string>; limb_length: string; unit: 'cm' | 'in' };
  };
}

export interface SectionUnits {
  /** N, kg, lb (force), Nm (torque) or mmt (grade). */
  strength: string;
  /** Distances in range of motion. */
  length: 'cm' | 'in';
}

export const DEFAULT_UNITS: SectionUnits = { strength: 'N', length: 'cm' };

export function emptyForm(today: string, start: { units?: Partial<SectionUnits>; test_set?: string; selection?: string[] | null } = {}): WizardForm {
  return {
    assessed_on: today,
    client: { age: '', sex: '', dominant_side: '', mass: '', mass_unit: 'kg', height: '', height_unit: 'cm' },
    lifestyle: { sitting_hours_per_day: '', activities: [] },
    preferences: { days_per_week: '', minutes_per_session: '', weeks: '', equipment: [] },
    pain: [],
    screening: {},
    posture: { flags: [], numbers: {}, sides: {} },
    tests: {},
    test_set: start.test_set ?? '',
    selection: start.selection ?? null,
    show_all: {},
    units: { ...DEFAULT_UNITS, ...start.units },
    movement: {
      overhead_squat: {},
      single_leg_squat: {},
      fms: {},
      clearing: [],
      y_balance: { left: {}, right: {}, limb_length: '', unit: 'cm' },
    },
  };
}

/** A form saved by an earlier version (a restored draft), with the fields added since. */
export function completeForm(f: WizardForm): WizardForm {
  // Drafts saved before posture sides were kept by their key.
  const old = f.posture as WizardForm['posture'] & { higher_shoulder?: string; higher_hip?: string };
  const sides = { ...old.sides };
  if (old.higher_shoulder) sides.higher_shoulder = old.higher_shoulder;
  if (old.higher_hip) sides.higher_hip = old.higher_hip;
  return {
    ...f,
    posture: { flags: old.flags, numbers: old.numbers, sides },
    test_set: f.test_set ?? '',
    selection: f.selection === undefined ? null : f.selection,
    show_all: f.show_all ?? {},
    units: { ...DEFAULT_UNITS, ...f.units },
  };
}

export function testKey(t: { section: string; id: string }): string {
  return `${t.section}.${t.id}`;
}

/** Units a strength test offers, from its measures. */
export function strengthUnits(t: TestDef): string[] {
  const out: string[] = [];
  if (t.measures.includes('force')) out.push('N', 'kg', 'lb');
  if (t.measures.includes('torque')) out.push('Nm');
  if (t.measures.includes('mmt')) out.push('mmt');
  return out;
}

/** The measurement forms a ROM or endurance test takes, in input order (results first). */
/**
 * The unit a test records in: its own choice when it has one the test
 * offers, else the section's, else the test's first (grip has no grade).
 * Empty for tests without units.
 */
export function unitOf(t: TestDef, tf: TestForm | undefined, units: SectionUnits): string {
  if (t.section === 'strength') {
    const offered = strengthUnits(t);
    if (tf?.unit && offered.includes(tf.unit)) return tf.unit;
    if (offered.includes(units.strength)) return units.strength;
    return offered[0] ?? 'N';
  }
  if (t.measures.includes('cm')) return tf?.unit === 'in' || tf?.unit === 'cm' ? tf.unit : units.length;
  return '';
}

/** Whether anything is entered for a test. */
export function hasValues(tf: TestForm | undefined): boolean {
  return !!tf && Object.values(tf.values).some((v) => Object.values(v).some((x) => !!x));
}

export function measuresOf(t: TestDef): string[] {
  if (t.section === 'strength') return ['value'];
  const order = ['result', 'degrees', 'cm', 'seconds'];
  return order.filter((m) => t.measures.includes(m));
}

export function sidesOf(t: { sided: boolean }): SideKey[] {
  return t.sided ? ['left', 'right'] : ['both'];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** Typed text as JSON: a number when it reads as one, else the text itself (the validator reports it). */
function num(text: string | undefined, convert?: (n: number) => number): Json | undefined {
  const v = parseNumberInput(text ?? '');
  if (v === null) return undefined;
  if (typeof v === 'number' && convert) return round(convert(v), 2);
  return v;
}

/**
 * A manual muscle test grade as clinicians write it: "4", "4.5", or with a
 * plus or minus ("4+" records 4.5, "4-" records 3.5: the intake's half steps).
 */
export function mmtGrade(text: string): Json | undefined {
  const m = /^\s*([0-5])\s*([+-])\s*$/.exec(text);
  if (m) {
    const v = Number(m[1]) + (m[2] === '+' ? 0.5 : -0.5);
    return v >= 0 && v <= 5 ? v : text.trim();
  }
  return num(text);
}

function put(obj: Obj, key: string, value: Json | undefined): void {
  if (value !== undefined) obj[key] = value;
}

function sideList(sides: SideKey[] | undefined): Json | undefined {
  if (!sides || sides.length === 0) return undefined;
  const l = sides.includes('left') || sides.includes('both');
  const r = sides.includes('right') || sides.includes('both');
  if (l && r) return true;
  return [l ? 'left' : 'right'];
}

export interface BuiltIntake {
  intake: Obj;
  /** JSON path of an array entry -> field key prefix. */
  fields: Record<string, string>;
}

/**
 * The intake the form stands for. `vocabulary` says which values each
 * screening item asks for: a value is sent only with its item ticked.
 */
export function buildIntake(form: WizardForm, tests: TestDef[], vocabulary: Pick<VocabularyDoc, 'screening'>, clientName: string, assessor?: string): BuiltIntake {
  const fields: Record<string, string> = {};
  const intake: Obj = { schema: 'rebalance.intake/1' };
  if (form.assessed_on) intake.assessed_on = form.assessed_on;
  if (assessor) intake.assessor = assessor;

  const client: Obj = {};
  if (clientName) client.name = clientName;
  put(client, 'age', num(form.client.age));
  if (form.client.sex) client.sex = form.client.sex;
  if (form.client.dominant_side) client.dominant_side = form.client.dominant_side;
  put(client, 'mass_kg', num(form.client.mass, (n) => massToKg(n, form.client.mass_unit)));
  put(client, 'height_cm', num(form.client.height, (n) => lengthToCm(n, form.client.height_unit)));
  intake.client = client;
  fields['$.client.mass_kg'] = 'client.mass';
  fields['$.client.height_cm'] = 'client.height';

  const lifestyle: Obj = {};
  put(lifestyle, 'sitting_hours_per_day', num(form.lifestyle.sitting_hours_per_day));
  if (form.lifestyle.activities.length) lifestyle.activities = [...form.lifestyle.activities];
  if (Object.keys(lifestyle).length) intake.lifestyle = lifestyle;

  const prefs: Obj = {};
  put(prefs, 'days_per_week', num(form.preferences.days_per_week));
  put(prefs, 'minutes_per_session', num(form.preferences.minutes_per_session));
  put(prefs, 'weeks', num(form.preferences.weeks));
  if (form.preferences.equipment.length) prefs.equipment = [...form.preferences.equipment];
  if (Object.keys(prefs).length) intake.preferences = prefs;

  if (form.pain.length) {
    intake.pain = form.pain.map((p, i) => {
      fields[`$.pain[${i}]`] = `pain.${i}`;
      const e: Obj = { region: p.region, side: p.side };
      put(e, 'intensity', num(p.intensity) ?? 0);
      if (p.red_flags.length) e.red_flags = [...p.red_flags];
      return e;
    });
  }

  const sc: Obj = {};
  for (const item of vocabulary.screening) {
    if (form.screening[item.id] !== true) continue;
    sc[item.id] = true;
    for (const p of item.parameters) {
      const value = form.screening[p.id];
      if (typeof value === 'string' && value) sc[p.id] = value;
    }
  }
  if (Object.keys(sc).length) intake.screening = sc;

  const posture: Obj = {};
  for (const flag of form.posture.flags) posture[flag] = true;
  for (const [k, v] of Object.entries(form.posture.numbers)) put(posture, k, num(v));
  for (const [k, v] of Object.entries(form.posture.sides)) if (v) posture[k] = v;
  if (Object.keys(posture).length) intake.posture = posture;

  for (const section of ['rom', 'strength', 'endurance'] as const) {
    const list: Json[] = [];
    for (const t of tests.filter((x) => x.section === section)) {
      const tf = form.tests[testKey(t)];
      if (!tf) continue;
      const unit = unitOf(t, tf, form.units ?? DEFAULT_UNITS);
      for (const side of sidesOf(t)) {
        const entry: Obj = { test: t.id };
        if (t.sided) entry.side = side;
        let any = false;
        for (const m of measuresOf(t)) {
          const text = tf.values[m]?.[side];
          if (!text) continue;
          if (m === 'result') {
            entry.result = text;
            any = true;
          } else if (m === 'cm') {
            const v = num(text, unit === 'in' ? (n) => lengthToCm(n, 'in') : undefined);
            if (v !== undefined) {
              entry.cm = v;
              any = true;
            }
          } else {
            const v = section === 'strength' && unit === 'mmt' ? mmtGrade(text) : num(text);
            if (v !== undefined) {
              entry[m] = v;
              any = true;
            }
          }
        }
        if (!any) continue;
        if (section === 'strength') {
          entry.unit = unit;
          // Torque comes from an isokinetic dynamometer; keep the method consistent.
          const method = tf.method || (unit === 'Nm' && t.methods?.includes('isokinetic') ? 'isokinetic' : '');
          if (unit !== 'mmt' && method) entry.method = method;
        }
        if (section === 'rom' && tf.position) entry.position = tf.position;
        fields[`$.${section}[${list.length}]`] = `${testKey(t)}.${side}`;
        list.push(entry);
      }
    }
    if (list.length) intake[section] = list;
  }

  const mv = form.movement;
  const movement: Obj = {};
  const ohs: Obj = {};
  for (const [k, sides] of Object.entries(mv.overhead_squat)) put(ohs, k, sideList(sides));
  if (Object.keys(ohs).length) movement.overhead_squat = ohs;
  const sls: Obj = {};
  for (const [k, sides] of Object.entries(mv.single_leg_squat)) {
    const v = sideList(sides);
    if (v !== undefined) sls[k] = v === true ? ['left', 'right'] : v;
  }
  if (Object.keys(sls).length) movement.single_leg_squat = sls;
  const fms: Obj = {};
  for (const [k, v] of Object.entries(mv.fms)) {
    if (typeof v === 'string') put(fms, k, num(v));
    else if (v.left || v.right) {
      const o: Obj = {};
      put(o, 'left', num(v.left));
      put(o, 'right', num(v.right));
      fms[k] = o;
    }
  }
  for (const c of mv.clearing) fms[c] = true;
  if (Object.keys(fms).length) movement.fms = fms;
  const y = mv.y_balance;
  const conv = y.unit === 'in' ? (n: number) => lengthToCm(n, 'in') : undefined;
  const hasY = [y.left, y.right].some((r) => Object.values(r).some((v) => v !== '')) || y.limb_length !== '';
  if (hasY) {
    const yb: Obj = {};
    for (const side of ['left', 'right'] as const) {
      const r: Obj = {};
      for (const dir of ['anterior', 'posteromedial', 'posterolateral']) put(r, dir, num(y[side][dir], conv));
      yb[side] = r;
    }
    put(yb, 'limb_length_cm', num(y.limb_length, conv));
    fields['$.movement.y_balance.limb_length_cm'] = 'movement.y_balance.limb_length';
    movement.y_balance = yb;
  }
  if (Object.keys(movement).length) intake.movement = movement;

  return { intake, fields };
}

/** The field key of a problem's JSON path: "$.rom[2].degrees" -> "rom.thomas_test.left.degrees". */
export function fieldOfPath(path: string, fields: Record<string, string>): string {
  if (fields[path]) return fields[path];
  let best = '';
  for (const prefix of Object.keys(fields))
    if (prefix.length > best.length && (path.startsWith(prefix + '.') || path.startsWith(prefix + '['))) best = prefix;
  const rest = best ? fields[best] + path.slice(best.length) : path.replace(/^\$\.?/, '');
  return rest.replace(/\[(\d+)\]/g, '.$1');
}

/** Which wizard step a field key belongs to. */
export function stepOfField(field: string): string {
  const head = field.split('.')[0];
  if (head === 'client' || head === 'lifestyle' || head === 'preferences' || head === 'assessed_on') return 'client';
  if (head === 'pain' || head === 'screening') return 'pain';
  return head;
}

/** The scheduling preferences a stored intake asked for, each only when it is a number (the intake is data, not trusted shape). */
export function intakePreferences(input: unknown): { weeks?: number; days_per_week?: number; minutes_per_session?: number } {
  const prefs = input && typeof input === 'object' ? (input as { preferences?: unknown }).preferences : undefined;
  const out: { weeks?: number; days_per_week?: number; minutes_per_session?: number } = {};
  if (!prefs || typeof prefs !== 'object') return out;
  for (const key of ['weeks', 'days_per_week', 'minutes_per_session'] as const) {
    const v = (prefs as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}
