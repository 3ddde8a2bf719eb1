// Test sets: which tests the wizard shows for an exam. A set is a UI preset
// (which tests to offer), never a threshold: the engine judges whatever is
// entered. The built-in sets belong in the knowledge base (data/) served by
// the API; until it offers them they live here. Practitioners' own sets are
// the server's test-set templates (/api/v1/templates?kind=test_set), so they
// follow the practitioner between devices; sets an older version kept in this
// browser are moved there once (migrateLocalSets).
import type { TestSetRequest, TestSetTemplate } from '../types';
import type { KeyValueStore } from './draft';

export type { TestSetRequest, TestSetTemplate };

export interface TestSet {
  id: string;
  name: string;
  description?: string;
  /** Test keys "section.id" (lib/intake.ts testKey). */
  tests: string[];
  builtIn?: boolean;
}

const rom = (...ids: string[]) => ids.map((id) => `rom.${id}`);
const strength = (...ids: string[]) => ids.map((id) => `strength.${id}`);
const endurance = (...ids: string[]) => ids.map((id) => `endurance.${id}`);

// The selections follow the knowledge base: the muscles data/lifestyle.json
// ties to each activity and the members of the crossed syndromes in
// data/patterns.json (Janda, via Page, Frank & Lardner 2010), the overhead
// athlete's shoulder rotation profile in data/sport_profiles.json (GIRD and
// total arc at 90 degrees abduction, Wilk 2011), and for older adults grip
// strength as in sarcopenia case finding (EWGSOP2, Cruz-Jentoft 2019) with
// the hip, knee and ankle motion gait and stairs need.
export const BUILT_IN_SETS: TestSet[] = [
  {
    id: 'desk_worker',
    name: 'Desk worker',
    description: 'Hip flexor and hamstring length, chest and neck, glutes and trunk endurance (lower and upper crossed patterns).',
    tests: [
      ...rom('thomas_test', 'straight_leg_raise', 'hip_extension', 'pectoralis_minor_length', 'cervical_rotation'),
      ...strength('hip_extension', 'hip_abduction', 'scapular_retraction'),
      ...endurance('side_plank', 'biering_sorensen', 'trunk_flexor', 'deep_neck_flexor'),
    ],
  },
  {
    id: 'runner',
    name: 'Runner',
    description: 'Hip, thigh and ankle length, hip and calf strength, lateral trunk and glute endurance.',
    tests: [
      ...rom('thomas_test', 'ober_test', 'ely_test', 'straight_leg_raise', 'hip_internal_rotation', 'ankle_dorsiflexion', 'weight_bearing_lunge'),
      ...strength('hip_abduction', 'hip_extension', 'hip_external_rotation', 'knee_extension', 'ankle_plantarflexion'),
      ...endurance('side_plank', 'single_leg_bridge'),
    ],
  },
  {
    id: 'overhead_athlete',
    name: 'Overhead athlete',
    description: 'Shoulder rotation at 90° abduction (GIRD, total arc), flexion, latissimus and pectoralis minor length, rotator cuff and scapular strength.',
    tests: [
      ...rom('shoulder_internal_rotation', 'shoulder_external_rotation', 'shoulder_flexion', 'latissimus_length', 'pectoralis_minor_length', 'thoracic_rotation'),
      ...strength('shoulder_external_rotation', 'shoulder_internal_rotation', 'scapular_retraction', 'grip'),
      ...endurance('side_plank', 'deep_neck_flexor'),
    ],
  },
  {
    id: 'older_adult',
    name: 'Older adult',
    description: 'Hip, knee, ankle and shoulder motion, grip, knee extension and hip strength, bridge endurance.',
    tests: [
      ...rom('hip_flexion', 'hip_extension', 'knee_flexion', 'ankle_dorsiflexion', 'shoulder_flexion'),
      ...strength('grip', 'knee_extension', 'hip_abduction', 'hip_extension'),
      ...endurance('single_leg_bridge'),
    ],
  },
  {
    id: 'quick_screen',
    name: 'Quick screen',
    description: 'Five tests: hip flexor and hamstring length, shoulder flexion, ankle, lateral trunk endurance.',
    tests: [...rom('thomas_test', 'straight_leg_raise', 'shoulder_flexion', 'weight_bearing_lunge'), ...endurance('side_plank')],
  },
].map((s) => ({ ...s, builtIn: true }));

/** "All tests": no set. */
export const ALL_TESTS = '';

export interface PractitionerPrefs {
  /** Sets an older version kept in this browser, until they are moved to the server (migrateLocalSets). */
  sets: TestSet[];
  /** The set picked last, offered first next time. */
  lastSet?: string;
  /** The section units chosen last ("strength" -> "mmt", "length" -> "in"). */
  units?: Record<string, string>;
}

/** The longest name the server keeps for a template. */
export const NAME_MAX = 80;

function byName(a: TestSet, b: TestSet): number {
  return a.name.localeCompare(b.name);
}

/** Names compare without case and surrounding spaces ("My knees " is "my knees"). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** The practitioner's set a test-set template is; null for anything else. */
export function setOfTemplate(t: unknown): TestSet | null {
  const v = t as Partial<TestSetTemplate> | null;
  if (!v || typeof v.id !== 'string' || typeof v.name !== 'string' || v.kind !== 'test_set') return null;
  const tests = Array.isArray(v.body?.tests) ? v.body.tests.filter((k): k is string => typeof k === 'string') : [];
  return { id: v.id, name: v.name, tests };
}

/** The practitioner's sets from GET /api/v1/templates?kind=test_set, by name. */
export function setsOfTemplates(list: unknown): TestSet[] {
  return (Array.isArray(list) ? list : []).map(setOfTemplate).filter((s): s is TestSet => s !== null).sort(byName);
}

/**
 * The request that saves `tests` as `name`: the name trimmed (and cut to what
 * the server keeps), each test once, and, given the knowledge base's keys,
 * only tests it has (the server refuses others).
 */
export function templateRequest(name: string, tests: string[], known?: ReadonlySet<string>): TestSetRequest {
  return {
    kind: 'test_set',
    name: [...name.trim()].slice(0, NAME_MAX).join('').trim(),
    tests: [...new Set(tests)].filter((k) => !known || known.has(k)),
  };
}

/** The sets after `set` was saved: one of the same name is replaced. */
export function withSet(own: TestSet[], set: TestSet): TestSet[] {
  return [...own.filter((s) => s.id !== set.id && !sameName(s.name, set.name)), set].sort(byName);
}

export function withoutSet(own: TestSet[], id: string): TestSet[] {
  return own.filter((s) => s.id !== id);
}

/** The test a server error about `$.tests[i]` is about, from the list that was sent. */
export function testOfPath(path: string | undefined, sent: string[]): string | undefined {
  const m = /^\$\.tests\[(\d+)\]$/.exec(path ?? '');
  return m ? sent[Number(m[1])] : undefined;
}

/** The calls the sets need (the api object of ../api). */
export interface TemplateClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
}

export async function listOwnSets(client: TemplateClient): Promise<TestSet[]> {
  const r = await client.get<{ templates?: unknown }>('/api/v1/templates?kind=test_set');
  return setsOfTemplates(r?.templates);
}

/**
 * Saves a set on the server and then deletes the older ones of the same name
 * (a set saved again under its name replaces it, as before). The new set is
 * kept even when deleting an old one fails.
 */
export async function saveOwnSet(client: TemplateClient, own: TestSet[], req: TestSetRequest): Promise<{ set: TestSet; sets: TestSet[] }> {
  const t = await client.post<TestSetTemplate>('/api/v1/templates', req);
  const set = setOfTemplate(t) ?? { id: String(t?.id ?? ''), name: req.name, tests: req.tests };
  let sets = withSet(own, set);
  for (const old of own.filter((s) => s.id !== set.id && sameName(s.name, set.name))) {
    try {
      await client.del(`/api/v1/templates/${encodeURIComponent(old.id)}`);
    } catch {
      sets = [...sets, old].sort(byName);
    }
  }
  return { set, sets };
}

export async function deleteOwnSet(client: TemplateClient, id: string): Promise<void> {
  await client.del(`/api/v1/templates/${encodeURIComponent(id)}`);
}

export interface Migration {
  /** The practitioner's sets on the server afterwards. */
  sets: TestSet[];
  /** Old local id -> the server's id, for a draft or a last choice that names the old one. */
  moved: Record<string, string>;
  /** Sets that could not be moved: they stay in this browser and are tried again next time. */
  kept: TestSet[];
  /** Why the first of `kept` failed. */
  error?: unknown;
}

/**
 * Moves the sets an older version kept in this browser to the server, once:
 * each is posted (only the knowledge base's tests), then removed here. A set
 * the server already holds under the same name and tests is not posted again;
 * one whose name the server holds with other tests is saved as "name (this
 * device)" so neither is lost. A set that fails stays here.
 */
export async function migrateLocalSets(
  client: TemplateClient,
  store: PrefsStore,
  userId: string,
  server: TestSet[],
  known: ReadonlySet<string>,
): Promise<Migration> {
  const prefs = store.load(userId);
  let sets = server;
  const moved: Record<string, string> = {};
  const kept: TestSet[] = [];
  let error: unknown;
  for (const local of prefs.sets) {
    const req = templateRequest(local.name, local.tests, known);
    if (!req.name || req.tests.length === 0) continue; // nothing the server could hold (and nothing to use)
    const same = sets.find((s) => sameName(s.name, req.name));
    if (same && same.tests.length === req.tests.length && req.tests.every((k) => same.tests.includes(k))) {
      moved[local.id] = same.id;
      continue;
    }
    if (same) req.name = [...req.name].slice(0, NAME_MAX - ' (this device)'.length).join('').trim() + ' (this device)';
    try {
      const t = await client.post<TestSetTemplate>('/api/v1/templates', req);
      const set = setOfTemplate(t) ?? { id: String(t?.id ?? ''), name: req.name, tests: req.tests };
      sets = [...sets.filter((s) => s.id !== set.id), set].sort(byName);
      moved[local.id] = set.id;
    } catch (e) {
      kept.push(local);
      error ??= e;
    }
  }
  const lastSet = prefs.lastSet && moved[prefs.lastSet] ? moved[prefs.lastSet] : prefs.lastSet;
  store.save(userId, { ...prefs, sets: kept, lastSet });
  return { sets, moved, kept, error };
}

const migrations = new Map<string, Promise<Migration>>();

/** migrateLocalSets, once at a time per user (two wizards must not post the same set twice). */
export function migrateOnce(client: TemplateClient, store: PrefsStore, userId: string, server: TestSet[], known: ReadonlySet<string>): Promise<Migration> {
  let p = migrations.get(userId);
  if (!p) {
    p = migrateLocalSets(client, store, userId, server, known).finally(() => migrations.delete(userId));
    migrations.set(userId, p);
  }
  return p;
}

/** The built-in sets and the practitioner's own. */
export function allSets(own: TestSet[]): TestSet[] {
  return [...BUILT_IN_SETS, ...own];
}

export function findSet(own: TestSet[], id: string): TestSet | undefined {
  return allSets(own).find((s) => s.id === id);
}

/**
 * The tests to show in a section: all of them without a selection or with
 * "show all", else the selection's, and always every test that has a value
 * (nothing entered is ever hidden). Keeps the knowledge base's order.
 */
export function visibleTests<T extends { section: string; id: string }>(
  all: T[],
  section: string,
  selection: string[] | null,
  showAll: boolean,
  hasValue: (key: string) => boolean,
): T[] {
  const list = all.filter((t) => t.section === section);
  if (showAll || selection === null) return list;
  const keep = new Set(selection);
  return list.filter((t) => keep.has(`${t.section}.${t.id}`) || hasValue(`${t.section}.${t.id}`));
}

/** Practitioners' choices in this browser (and sets not yet moved to the server), one entry per user id. */
export class PrefsStore {
  constructor(
    private readonly storage: KeyValueStore | null,
    private readonly prefix = 'rebalance.prefs.',
  ) {}

  load(userId: string): PractitionerPrefs {
    try {
      const text = this.storage?.getItem(this.prefix + userId);
      if (!text) return { sets: [] };
      const v = JSON.parse(text) as Partial<PractitionerPrefs>;
      const sets = Array.isArray(v.sets)
        ? v.sets.filter((s): s is TestSet => !!s && typeof s.id === 'string' && typeof s.name === 'string' && Array.isArray(s.tests))
        : [];
      return { sets, lastSet: typeof v.lastSet === 'string' ? v.lastSet : undefined, units: v.units && typeof v.units === 'object' ? v.units : undefined };
    } catch {
      return { sets: [] };
    }
  }

  /** Saves the choices (last set, units), keeping the sets still stored here until they are moved. */
  saveChoices(userId: string, prefs: Omit<PractitionerPrefs, 'sets'>): boolean {
    return this.save(userId, { ...prefs, sets: this.load(userId).sets });
  }

  save(userId: string, prefs: PractitionerPrefs): boolean {
    if (!this.storage) return false;
    try {
      this.storage.setItem(this.prefix + userId, JSON.stringify(prefs));
      return true;
    } catch {
      return false;
    }
  }
}

function browserStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const practitionerPrefs = new PrefsStore(browserStorage());
