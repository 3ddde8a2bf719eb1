// Test sets: which tests the wizard shows for an exam. A set is a UI preset
// (which tests to offer), never a threshold: the engine judges whatever is
// entered. The built-in sets belong in the knowledge base (data/) served by
// the API; until it offers them they live here. Practitioners' own sets are
// kept in this browser per user (server-side storage would follow them
// between devices).
import type { KeyValueStore } from './draft';

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
  sets: TestSet[];
  /** The set picked last, offered first next time. */
  lastSet?: string;
  /** The section units chosen last ("strength" -> "mmt", "length" -> "in"). */
  units?: Record<string, string>;
}

/** A set's id from its name ("My knees" -> "own_my_knees"); names in other scripts get a hash. */
export function slug(name: string): string {
  const t = name.trim().toLowerCase();
  const s = t
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if (s) return 'own_' + s;
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193) >>> 0;
  return 'own_' + h.toString(16);
}

/** The practitioner's sets after saving `tests` as `name` (a set with the same name is replaced). */
export function withSavedSet(prefs: PractitionerPrefs, name: string, tests: string[]): { prefs: PractitionerPrefs; set: TestSet } {
  const set: TestSet = { id: slug(name), name: name.trim(), tests: [...new Set(tests)] };
  const sets = [...prefs.sets.filter((s) => s.id !== set.id), set].sort((a, b) => a.name.localeCompare(b.name));
  return { prefs: { ...prefs, sets, lastSet: set.id }, set };
}

export function withoutSet(prefs: PractitionerPrefs, id: string): PractitionerPrefs {
  return { ...prefs, sets: prefs.sets.filter((s) => s.id !== id), lastSet: prefs.lastSet === id ? undefined : prefs.lastSet };
}

export function allSets(prefs: PractitionerPrefs): TestSet[] {
  return [...BUILT_IN_SETS, ...prefs.sets];
}

export function findSet(prefs: PractitionerPrefs, id: string): TestSet | undefined {
  return allSets(prefs).find((s) => s.id === id);
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

/** Practitioners' preferences in this browser, one entry per user id. */
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
