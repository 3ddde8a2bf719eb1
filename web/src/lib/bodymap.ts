// Findings -> body-map regions. Each of the 14 muscle groups has a region per
// side; midline groups (drawn once across the body's centre) have one.
import type { Finding, MusclesDoc } from '../types';

export const GROUP_IDS = [
  'neck',
  'shoulder',
  'chest',
  'upper_back',
  'abdominals',
  'lower_back',
  'hip_flexors',
  'glutes',
  'hip_rotators',
  'adductors',
  'quadriceps',
  'hamstrings',
  'shin',
  'calves',
] as const;
export type GroupId = (typeof GROUP_IDS)[number];

/** Groups drawn as one region across the midline. */
export const MIDLINE_GROUPS: ReadonlySet<string> = new Set(['abdominals', 'lower_back']);

export type RegionSide = 'left' | 'right' | 'mid';
export type Fill = 'none' | 'tight' | 'weak' | 'both';

export interface RegionState {
  group: string;
  side: RegionSide;
  tight: Finding[];
  weak: Finding[];
  fill: Fill;
}

export function regionKey(group: string, side: RegionSide): string {
  return `${group}:${side}`;
}

/** The groups a finding's muscle id belongs to: a group id maps to itself, a member to every group listing it. */
export function groupsOf(muscle: string, doc: MusclesDoc): string[] {
  if (doc.groups.some((g) => g.id === muscle)) return [muscle];
  const out = doc.groups.filter((g) => g.members.includes(muscle)).map((g) => g.id);
  if (out.length === 0) {
    const m = doc.muscles.find((x) => x.id === muscle);
    if (m) return m.groups.filter((g) => doc.groups.some((x) => x.id === g));
  }
  return out;
}

export function sidesOf(group: string): RegionSide[] {
  return MIDLINE_GROUPS.has(group) ? ['mid'] : ['left', 'right'];
}

function fillOf(tight: number, weak: number): Fill {
  if (tight > 0 && weak > 0) return 'both';
  if (tight > 0) return 'tight';
  if (weak > 0) return 'weak';
  return 'none';
}

/** Every region of every group, with the findings that fall on it. */
export function mapFindings(findings: Finding[], doc: MusclesDoc): Map<string, RegionState> {
  const regions = new Map<string, RegionState>();
  for (const g of doc.groups.length ? doc.groups.map((x) => x.id) : [...GROUP_IDS])
    for (const side of sidesOf(g)) regions.set(regionKey(g, side), { group: g, side, tight: [], weak: [], fill: 'none' });
  for (const f of findings) {
    for (const g of groupsOf(f.muscle, doc)) {
      const sides: RegionSide[] = MIDLINE_GROUPS.has(g) ? ['mid'] : f.side === 'both' ? ['left', 'right'] : [f.side];
      for (const side of sides) {
        const key = regionKey(g, side);
        let r = regions.get(key);
        if (!r) {
          r = { group: g, side, tight: [], weak: [], fill: 'none' };
          regions.set(key, r);
        }
        const list = f.state === 'tight' ? r.tight : r.weak;
        if (!list.includes(f)) list.push(f);
      }
    }
  }
  for (const r of regions.values()) r.fill = fillOf(r.tight.length, r.weak.length);
  return regions;
}

const FILL_WORDS: Record<Fill, string> = {
  none: 'no findings',
  tight: 'tight',
  weak: 'weak',
  both: 'tight and weak',
};

/** An accessible one-line description of a region, e.g. "Glutes, left: weak (gluteus medius, moderate)". */
export function describeRegion(r: RegionState, groupName: string, muscleName: (id: string) => string): string {
  const side = r.side === 'mid' ? '' : `, ${r.side}`;
  if (r.fill === 'none') return `${groupName}${side}: ${FILL_WORDS.none}`;
  const parts = [...r.tight, ...r.weak].map((f) => `${muscleName(f.muscle)} ${f.state}, ${f.severity}`);
  return `${groupName}${side}: ${FILL_WORDS[r.fill]} (${parts.join('; ')})`;
}
