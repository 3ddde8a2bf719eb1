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
  /** The worst severity of the region's findings: 0 none, 1 mild, 2 moderate, 3 severe. */
  severity: number;
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
    for (const side of sidesOf(g)) regions.set(regionKey(g, side), { group: g, side, tight: [], weak: [], fill: 'none', severity: 0 });
  for (const f of findings) {
    for (const g of groupsOf(f.muscle, doc)) {
      const sides: RegionSide[] = MIDLINE_GROUPS.has(g) ? ['mid'] : f.side === 'both' ? ['left', 'right'] : [f.side];
      for (const side of sides) {
        const key = regionKey(g, side);
        let r = regions.get(key);
        if (!r) {
          r = { group: g, side, tight: [], weak: [], fill: 'none', severity: 0 };
          regions.set(key, r);
        }
        const list = f.state === 'tight' ? r.tight : r.weak;
        if (!list.includes(f)) list.push(f);
      }
    }
  }
  for (const r of regions.values()) {
    r.fill = fillOf(r.tight.length, r.weak.length);
    r.severity = [...r.tight, ...r.weak].reduce((m, f) => Math.max(m, severityLevel(f.severity)), 0);
  }
  return regions;
}

export function severityLevel(s: string): number {
  return s === 'severe' ? 3 : s === 'moderate' ? 2 : s === 'mild' ? 1 : 0;
}

export const SEVERITY_WORDS = ['no findings', 'mild', 'moderate', 'severe'] as const;

/**
 * The side of a group whose findings are more severe when both sides have
 * some; null when the sides match, only one side has findings (its colour
 * already shows it) or the group is midline.
 */
export function worseSide(regions: Map<string, RegionState>, group: string): 'left' | 'right' | null {
  const l = regions.get(regionKey(group, 'left'))?.severity ?? 0;
  const r = regions.get(regionKey(group, 'right'))?.severity ?? 0;
  if (l === r || l === 0 || r === 0) return null;
  return l > r ? 'left' : 'right';
}

const FILL_WORDS: Record<Fill, string> = {
  none: 'no findings',
  tight: 'tight',
  weak: 'weak',
  both: 'tight and weak',
};

/** An accessible one-line description of a region, e.g. "Glutes, left: weak (gluteus medius, moderate)"; `worse` adds that it is the worse side. */
export function describeRegion(r: RegionState, groupName: string, muscleName: (id: string) => string, worse = false): string {
  const side = r.side === 'mid' ? '' : `, ${r.side}`;
  if (r.fill === 'none') return `${groupName}${side}: ${FILL_WORDS.none}`;
  const parts = [...r.tight, ...r.weak].map((f) => `${muscleName(f.muscle)} ${f.state}, ${f.severity}`);
  return `${groupName}${side}: ${FILL_WORDS[r.fill]} (${parts.join('; ')})${worse ? '; the worse side' : ''}`;
}

/**
 * The body map in words, one line per muscle group with findings, in the
 * map's order: what it shows (tight, weak), how severe, and the worse side,
 * e.g. "Glutes: weak, right moderate, left mild: right worse".
 */
export function describeMap(regions: Map<string, RegionState>, groupName: (id: string) => string): string[] {
  const lines: string[] = [];
  const groups: string[] = [];
  for (const r of regions.values()) if (!groups.includes(r.group)) groups.push(r.group);
  for (const g of groups) {
    const sides = sidesOf(g)
      .map((s) => regions.get(regionKey(g, s)))
      .filter((r): r is RegionState => !!r && r.fill !== 'none');
    if (sides.length === 0) continue;
    const fills = new Set(sides.map((r) => r.fill));
    const what = fills.has('both') || (fills.has('tight') && fills.has('weak')) ? FILL_WORDS.both : FILL_WORDS[sides[0].fill];
    const worse = worseSide(regions, g);
    let where: string;
    if (sides[0].side === 'mid') where = SEVERITY_WORDS[sides[0].severity];
    else if (worse) {
      const other = worse === 'left' ? 'right' : 'left';
      const sev = (s: 'left' | 'right') => SEVERITY_WORDS[regions.get(regionKey(g, s))?.severity ?? 0];
      where = `${worse} ${sev(worse)}, ${other} ${sev(other)}: ${worse} worse`;
    } else if (sides.length === 2) where = `both sides, ${SEVERITY_WORDS[sides[0].severity]}`;
    else where = `${sides[0].side} only, ${SEVERITY_WORDS[sides[0].severity]}`;
    lines.push(`${groupName(g)}: ${what}, ${where}`);
  }
  return lines;
}
