// The Findings tab in words: the summary a clinician reads first (referrals,
// patterns, the findings that matter most, asymmetries) and every id of the
// findings document (muscles, tests, rules, flags) as the words it stands for.
import type { Asymmetry, Evidence, Finding, Findings, MusclesDoc, Referral, Side, State, TestDef, VocabularyDoc } from '../types';
import { idWords as words, regionName, termName } from '../vocab';

/** The knowledge base's names, as far as they are loaded. */
export interface Vocabulary {
  muscles?: MusclesDoc;
  tests?: TestDef[];
  /** Regions, activities, red flags, screening, posture, movement, patterns, ratios. */
  vocabulary?: VocabularyDoc;
}

export { words };

export type Severity = Finding['severity'];

/** How many findings the summary leads with. */
export const TOP_FINDINGS = 5;

const SEVERITY_RANK: Record<string, number> = { mild: 1, moderate: 2, severe: 3 };

export function severityRank(s: string): number {
  return SEVERITY_RANK[s] ?? 0;
}

function lowerFirst(s: string): string {
  // Keep acronyms and names that start with two capitals ("FMS", "GIRD").
  if (/^[A-Z]{2}/.test(s)) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function joinWords(list: string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

export function sideWords(side: string | undefined): string {
  if (side === 'both') return 'both sides';
  return side ?? '';
}

/** A muscle or muscle group by its knowledge-base name. */
export function muscleLabel(v: Vocabulary, id: string): string {
  const m = v.muscles?.muscles.find((x) => x.id === id) ?? v.muscles?.groups.find((g) => g.id === id);
  return m ? m.name : words(id);
}

/**
 * Names of the assessment's parts that are neither tests nor ratios of the
 * knowledge base (those are named by its test list and vocabulary).
 */
const MEASURE_NAMES: Record<string, string> = {
  shoulder_total_rotation: 'Shoulder total rotation arc',
  y_balance: 'Y-balance test',
  overhead_squat: 'Overhead squat',
  single_leg_squat: 'Single-leg squat',
  fms: 'Functional Movement Screen',
};

function postureName(v: Vocabulary, id: string): string | undefined {
  return termName(v.vocabulary?.posture, id);
}

/** A test by its knowledge-base name; `section` (rom, strength, endurance) picks between tests sharing an id. */
export function testLabel(v: Vocabulary, id: string, section?: string): string {
  const t = v.tests?.find((x) => x.id === id && (!section || x.section === section)) ?? v.tests?.find((x) => x.id === id);
  if (t) return t.name;
  const ratio = termName(v.vocabulary?.ratios, id);
  if (ratio) return ratio;
  if (MEASURE_NAMES[id]) return MEASURE_NAMES[id];
  if (id.startsWith('fms.')) return `Functional Movement Screen, ${lowerFirst(termName(v.vocabulary?.movement.fms.tests, id.slice(4)) ?? words(id.slice(4)))}`;
  return postureName(v, id) ?? words(id);
}

export function patternName(id: string, v: Vocabulary): string {
  return termName(v.vocabulary?.patterns, id) ?? words(id);
}

/** A pattern's matched member ("pectoralis_minor tight", "forward_head") in words. */
export function matchedWords(item: string, v: Vocabulary): string {
  const [id, state] = item.split(/\s+/);
  const name = postureName(v, id) ?? muscleLabel(v, id);
  return state ? `${name} ${state}` : name;
}

/** A JSON path of the intake ("$.rom[2]", "$.movement.fms.hurdle_step") as its parts. */
export function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

function at(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const p of pathParts(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

export type EvidenceKind = 'test' | 'posture' | 'movement' | 'intake' | 'other';

export interface EvidenceWords {
  kind: EvidenceKind;
  /** What the evidence is: "Modified Thomas test (left)", "From the intake: desk work". */
  what: string;
  observed: string;
  reference: string;
}

const LIFESTYLE_REFERENCE = 'an intake answer: raises a suspicion that tests confirm or overrule';
const Y_BALANCE_DIRECTIONS = new Set(['anterior', 'posteromedial', 'posterolateral']);

/** What a rule id stands for, where no test or intake field says it better. */
export function ruleWords(rule: string, v: Vocabulary): string {
  const [head, ...rest] = rule.split('.');
  if (rest.length === 0) return words(head);
  const tail = rest.join('.');
  const lists = v.vocabulary;
  switch (head) {
    case 'lifestyle':
      return `From the intake: ${lowerFirst(termName(lists?.activities, tail) ?? (tail === 'sitting' ? 'hours of sitting' : words(tail)))}`;
    case 'posture':
      return `Posture: ${lowerFirst(postureName(v, tail) ?? words(tail))}`;
    case 'overhead_squat':
      return `Overhead squat: ${lowerFirst(termName(lists?.movement.overhead_squat, tail) ?? words(tail))}`;
    case 'single_leg_squat':
      return `Single-leg squat: ${lowerFirst(termName(lists?.movement.single_leg_squat, tail) ?? words(tail))}`;
    case 'fms':
      return testLabel(v, rule);
    case 'pattern':
    case 'patterns':
      return `Pattern: ${lowerFirst(patternName(tail, v))}`;
    default:
      return `${words(head)}: ${lowerFirst(words(tail))}`;
  }
}

/** One evidence entry in words, for the evidence table. */
export function describeEvidence(e: Evidence, v: Vocabulary): EvidenceWords {
  const parts = pathParts(e.input ?? '');
  const [head, second, third] = parts;
  const rule = e.rule ?? '';
  const ruleHead = rule.split('.')[0];
  const sideText = e.side ? ` (${sideWords(e.side)})` : '';
  const observed = e.observed ?? '—';
  const reference = e.expected ?? '—';
  if (head === 'lifestyle' || ruleHead === 'lifestyle') {
    const id = rule.startsWith('lifestyle.') ? rule.slice('lifestyle.'.length) : String(second ?? '');
    const activities = v.vocabulary?.activities;
    const activity = termName(activities, id) ?? (e.observed ? termName(activities, e.observed) : undefined);
    if (activity) return { kind: 'intake', what: `From the intake: ${lowerFirst(activity)}`, observed: activity, reference: e.expected ?? LIFESTYLE_REFERENCE };
    if (second === 'sitting_hours_per_day' || id === 'sitting')
      return { kind: 'intake', what: 'From the intake: hours of sitting', observed, reference: e.expected ?? LIFESTYLE_REFERENCE };
    return { kind: 'intake', what: ruleWords(rule || `lifestyle.${id}`, v), observed: e.observed ? words(e.observed) : '—', reference: e.expected ?? LIFESTYLE_REFERENCE };
  }
  if (head === 'posture' || ruleHead === 'posture') {
    const id = typeof second === 'string' ? second : rule.slice('posture.'.length);
    return { kind: 'posture', what: `Posture: ${lowerFirst(postureName(v, id) ?? words(id))}${sideText}`, observed, reference };
  }
  if (head === 'movement') {
    const item = typeof third === 'string' ? third : '';
    let what: string;
    const movement = v.vocabulary?.movement;
    if (second === 'overhead_squat') what = `Overhead squat: ${lowerFirst(termName(movement?.overhead_squat, item) ?? words(item))}`;
    else if (second === 'single_leg_squat') what = `Single-leg squat: ${lowerFirst(termName(movement?.single_leg_squat, item) ?? words(item))}`;
    else if (second === 'fms') what = testLabel(v, `fms.${item}`);
    else if (second === 'y_balance')
      what = `Y-balance test, ${Y_BALANCE_DIRECTIONS.has(item) ? `${item} reach` : 'composite reach'}`;
    else what = `Movement screen: ${lowerFirst(words(String(second ?? '')))}`;
    return { kind: 'movement', what: `${what}${sideText}`, observed, reference };
  }
  if (e.test) {
    const section = typeof head === 'string' && ['rom', 'strength', 'endurance'].includes(head) ? head : undefined;
    return { kind: 'test', what: `${testLabel(v, e.test, section)}${sideText}`, observed, reference };
  }
  if (rule) return { kind: 'other', what: `${ruleWords(rule, v)}${sideText}`, observed, reference };
  const last = parts[parts.length - 1];
  return { kind: 'other', what: `${words(String(typeof last === 'string' ? last : e.input ?? 'evidence'))}${sideText}`, observed, reference };
}

/** One evidence entry as a line: "Modified Thomas test (left): positive (expected negative)", "From the intake: desk work". */
export function evidenceLine(e: Evidence, v: Vocabulary): string {
  const w = describeEvidence(e, v);
  const against = e.supports === false ? '; speaks against' : '';
  if (w.kind === 'intake') {
    const activity = w.what.endsWith(lowerFirst(w.observed));
    const head = activity || w.observed === '—' ? w.what : `From the intake: ${w.observed}`;
    return `${head}${e.expected ? ` (expected ${e.expected})` : ''}${against}`;
  }
  return `${w.what}: ${w.observed}${w.reference !== '—' ? ` (expected ${w.reference})` : ''}${against}`;
}

const KIND_NOUN: Record<EvidenceKind, [string, string]> = {
  test: ['test', 'tests'],
  posture: ['posture sign', 'posture signs'],
  movement: ['movement screen', 'movement screens'],
  intake: ['intake answer', 'intake answers'],
  other: ['other', 'other'],
};

/** What a finding rests on, counted: "2 tests, 1 intake answer; 1 speaks against". */
export function evidenceCount(evidence: Evidence[], v: Vocabulary = {}): string {
  const counts = new Map<EvidenceKind, number>();
  for (const e of evidence) {
    const k = describeEvidence(e, v).kind;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const order: EvidenceKind[] = ['test', 'movement', 'posture', 'intake', 'other'];
  const text = order
    .filter((k) => counts.has(k))
    .map((k) => {
      const n = counts.get(k)!;
      return `${n} ${KIND_NOUN[k][n === 1 ? 0 : 1]}`;
    })
    .join(', ');
  const against = evidence.filter((e) => e.supports === false).length;
  return against ? `${text}; ${against} against` : text;
}

// ---- the summary's findings -----------------------------------------------

/** The plain explanation of a muscle found tight and weak at once (not a diagnosis). */
export const TIGHT_AND_WEAK =
  'short and weak at once: stretch first, then strengthen through the range; the program does both.';

/** One state of one muscle across its sides: "tight, left severe, right moderate: left worse". */
export interface StatePart {
  state: State;
  severity: Severity;
  confidence: number;
  /** The side that is clearly worse (higher severity), if the sides differ. */
  worse?: 'left' | 'right';
  /** The sides and severity: "left severe, right moderate: left worse", "both sides, mild". */
  sides: string;
  /** With the state: "tight, left severe, right moderate: left worse". */
  text: string;
}

export interface MuscleLine {
  muscle: string;
  name: string;
  parts: StatePart[];
  /** The sides found both tight and weak, if any. */
  tightAndWeak?: Side;
  findings: Finding[];
}

export interface SummaryItem {
  key: string;
  /** "Hamstrings", or the muscles of a group finding: "Iliopsoas and rectus femoris". */
  title: string;
  states: State[];
  severity: Severity;
  confidence: number;
  muscles: MuscleLine[];
  /** Group findings folded into their muscles' line. */
  groups: { id: string; name: string; findings: Finding[] }[];
  /** "Tight: both sides, moderate" or, for several muscles, each one's. */
  detail: string;
  /** Plain explanations: the group folded in, tight and weak at once. */
  notes: string[];
  /** Some of the evidence speaks against a finding of this line. */
  mixedEvidence: boolean;
  findings: Finding[];
}

function better(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence;
}

function onSide(f: Finding, side: 'left' | 'right'): boolean {
  return f.side === side || f.side === 'both';
}

function maxSeverity(fs: Finding[]): number {
  return fs.reduce((m, f) => Math.max(m, severityRank(f.severity)), 0);
}

const SEVERITY_NAME = ['', 'mild', 'moderate', 'severe'] as const;

/** One state of one muscle, its sides merged: which side is worse, in words. */
export function statePart(state: State, fs: Finding[]): StatePart {
  const top = [...fs].sort(better)[0];
  const left = maxSeverity(fs.filter((f) => onSide(f, 'left')));
  const right = maxSeverity(fs.filter((f) => onSide(f, 'right')));
  const base = { state, severity: top.severity, confidence: Math.max(...fs.map((f) => f.confidence)) };
  if (left && right && left !== right) {
    const worse = left > right ? 'left' : 'right';
    const other = worse === 'left' ? 'right' : 'left';
    const [w, o] = worse === 'left' ? [left, right] : [right, left];
    const sides = `${worse} ${SEVERITY_NAME[w]}, ${other} ${SEVERITY_NAME[o]}: ${worse} worse`;
    return { ...base, worse, sides, text: `${state}, ${sides}` };
  }
  const sides = `${left && right ? 'both sides' : left ? 'left only' : 'right only'}, ${top.severity}`;
  return { ...base, sides, text: `${state}, ${sides}` };
}

/** The sides on which one muscle's findings say both tight and weak. */
export function tightAndWeakSide(fs: Finding[]): Side | undefined {
  const tight = fs.filter((f) => f.state === 'tight');
  const weak = fs.filter((f) => f.state === 'weak');
  const left = tight.some((f) => onSide(f, 'left')) && weak.some((f) => onSide(f, 'left'));
  const right = tight.some((f) => onSide(f, 'right')) && weak.some((f) => onSide(f, 'right'));
  return left && right ? 'both' : left ? 'left' : right ? 'right' : undefined;
}

function tightAndWeakNote(side: Side, name?: string): string {
  const where = side === 'both' ? '' : ` (${side} side)`;
  return `${name ? `${name}: tight` : 'Tight'} and weak${where}: ${TIGHT_AND_WEAK}`;
}

function muscleLine(muscle: string, fs: Finding[], v: Vocabulary): MuscleLine {
  const parts: StatePart[] = [];
  for (const state of ['tight', 'weak'] as State[]) {
    const of = fs.filter((f) => f.state === state);
    if (of.length) parts.push(statePart(state, of));
  }
  parts.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence);
  return { muscle, name: muscleLabel(v, muscle), parts, tightAndWeak: tightAndWeakSide(fs), findings: fs };
}

function isGroupOnly(v: Vocabulary, id: string): boolean {
  return !!v.muscles?.groups.some((g) => g.id === id) && !v.muscles?.muscles.some((m) => m.id === id);
}

/**
 * The findings as summary lines, most important first (severity, then
 * confidence of each line's strongest finding). One line per muscle: its
 * sides and states merged (a muscle tight and weak at once is one line, with
 * its explanation). A group finding ("Hip flexors") whose own muscles also
 * have findings in the same state ("Iliopsoas", "Rectus femoris") is folded
 * into one line naming the muscles, with a note naming the group; a group
 * finding without such muscles keeps its own line.
 */
export function summaryItems(findings: Finding[], v: Vocabulary): SummaryItem[] {
  const sorted = [...findings].sort(better);
  const byMuscle = new Map<string, Finding[]>();
  for (const f of sorted) byMuscle.set(f.muscle, [...(byMuscle.get(f.muscle) ?? []), f]);

  // Clusters: a group finding with its members' findings in the same state.
  interface Cluster {
    members: string[];
    groups: string[];
  }
  const clusterOf = new Map<string, Cluster>();
  for (const id of byMuscle.keys()) {
    if (!isGroupOnly(v, id)) continue;
    const group = v.muscles!.groups.find((g) => g.id === id)!;
    const states = new Set(byMuscle.get(id)!.map((f) => f.state));
    const members = group.members.filter((m) => m !== id && byMuscle.get(m)?.some((f) => states.has(f.state)));
    if (members.length === 0) continue;
    // A member already in a cluster (rectus femoris: hip flexors and quadriceps) joins the two.
    const cluster = members.map((m) => clusterOf.get(m)).find((c) => c) ?? { members: [], groups: [] };
    cluster.groups.push(id);
    for (const m of members) if (!cluster.members.includes(m)) cluster.members.push(m);
    for (const m of [...cluster.members, ...cluster.groups]) clusterOf.set(m, cluster);
  }

  const items: SummaryItem[] = [];
  const done = new Set<Cluster>();
  for (const id of byMuscle.keys()) {
    const cluster = clusterOf.get(id);
    if (cluster) {
      if (done.has(cluster)) continue;
      done.add(cluster);
      items.push(clusterItem(cluster.members, cluster.groups, byMuscle, v));
    } else {
      items.push(singleItem(id, byMuscle.get(id)!, v));
    }
  }
  return items.sort((a, b) => better(a.findings[0], b.findings[0]));
}

function itemBase(findings: Finding[]) {
  const sorted = [...findings].sort(better);
  const states = (['tight', 'weak'] as State[]).filter((s) => findings.some((f) => f.state === s));
  return {
    findings: sorted,
    states,
    severity: sorted[0].severity,
    confidence: sorted[0].confidence,
    mixedEvidence: findings.some((f) => f.conflicting_evidence === true || f.evidence.some((e) => e.supports === false)),
  };
}

function partsText(line: MuscleLine): string {
  return line.parts.map((p) => p.text).join('; ');
}

function singleItem(muscle: string, fs: Finding[], v: Vocabulary): SummaryItem {
  const line = muscleLine(muscle, fs, v);
  const notes: string[] = [];
  if (line.tightAndWeak) notes.push(tightAndWeakNote(line.tightAndWeak));
  return { key: muscle, title: line.name, muscles: [line], groups: [], detail: capital(partsText(line)), notes, ...itemBase(fs) };
}

function clusterItem(members: string[], groupIds: string[], byMuscle: Map<string, Finding[]>, v: Vocabulary): SummaryItem {
  const lines = members.map((m) => muscleLine(m, byMuscle.get(m)!, v));
  lines.sort((a, b) => better([...a.findings].sort(better)[0], [...b.findings].sort(better)[0]));
  const groups = groupIds.map((g) => ({ id: g, name: muscleLabel(v, g), findings: byMuscle.get(g)! }));
  const notes = groups.map((g) => {
    const part = muscleLine(g.id, g.findings, v);
    return `Includes the ${lowerFirst(g.name)} group finding (${partsText(part)}): the group and its muscles share this line.`;
  });
  for (const l of lines) if (l.tightAndWeak) notes.push(tightAndWeakNote(l.tightAndWeak, l.name));
  const all = [...lines.flatMap((l) => l.findings), ...groups.flatMap((g) => g.findings)];
  return {
    key: `group:${groupIds.join('+')}`,
    title: capital(joinWords(lines.map((l, i) => (i === 0 ? l.name : lowerFirst(l.name))))),
    muscles: lines,
    groups,
    detail: lines.map((l) => `${l.name}: ${partsText(l)}`).join(' · '),
    notes,
    ...itemBase(all),
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- referrals, patterns, asymmetries -------------------------------------

export interface ReferralWords {
  /** emergency | urgent | soon */
  urgency: string;
  urgencyText: string;
  /** "Bowel or bladder changes (low back)". */
  title: string;
  /** What stops: "The whole program stops", "Exercises loading the low back are left out". */
  action: string;
  detail: string;
}

const URGENCY_ORDER: Record<string, number> = { emergency: 0, urgent: 1, soon: 2 };
const URGENCY_WORDS: Record<string, string> = {
  emergency: 'Emergency: act now',
  urgent: 'Urgent: within a day or two',
  soon: 'Refer soon',
};

export function referralWords(r: Referral, v: Vocabulary): ReferralWords {
  const flag = typeof r.flag === 'string' ? r.flag : undefined;
  const lists = v.vocabulary;
  const name =
    r.reason === 'severe_pain'
      ? 'Severe pain'
      : flag
        ? termName(lists?.red_flags, flag) ?? termName(lists?.screening, flag) ?? termName(lists?.red_flag_clusters, flag) ?? words(flag)
        : words(r.reason);
  const region = r.region ? regionName(lists, r.region) : '';
  const urgency = r.urgency && URGENCY_WORDS[r.urgency] ? r.urgency : 'soon';
  const action =
    r.scope === 'whole_program'
      ? 'The whole program stops: referral only.'
      : r.scope === 'region' && region
        ? `Exercises loading the ${lowerFirst(region)} are left out.`
        : r.scope
          ? `${words(String(r.scope))}.`
          : '';
  return {
    urgency,
    urgencyText: URGENCY_WORDS[urgency],
    title: region ? `${name} (${lowerFirst(region)})` : name,
    action,
    detail: typeof r.detail === 'string' ? r.detail : '',
  };
}

export interface PatternWords {
  id: string;
  name: string;
  confidence: number;
  matched: string[];
}

export function patternWords(p: { id: string; confidence: number; [key: string]: unknown }, v: Vocabulary): PatternWords {
  const matched = Array.isArray(p.matched) ? (p.matched as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return { id: p.id, name: patternName(p.id, v), confidence: p.confidence, matched: matched.map((m) => matchedWords(m, v)) };
}

/** A measure ("endurance.side_plank", "movement.y_balance.anterior") in words. */
export function measureLabel(measure: string, v: Vocabulary): string {
  const [section, test, detail] = measure.split('.');
  if (section === 'movement') {
    if (test === 'y_balance') return `Y-balance test${detail ? `, ${detail} reach` : ''}`;
    if (test === 'fms' && detail) return testLabel(v, `fms.${detail}`);
    return words(measure.split('.').slice(1).join(' '));
  }
  if (!test) return words(measure);
  return testLabel(v, test, section);
}

function unitText(unit: string | undefined): string {
  if (!unit) return '';
  if (unit === 'deg' || unit === 'degrees') return '°';
  if (unit === 'mmt') return '/5';
  return ` ${unit}`;
}

/** One intake entry's measurement in words: "20 s", "68°", "4/5", "231 N". */
function measurementText(x: Record<string, unknown>): string | undefined {
  if (typeof x.seconds === 'number') return `${x.seconds} s`;
  if (typeof x.degrees === 'number') return `${x.degrees}°`;
  if (typeof x.cm === 'number') return `${x.cm} cm`;
  if (typeof x.value === 'number') return `${x.value}${unitText(typeof x.unit === 'string' ? x.unit : undefined)}`;
  if (typeof x.result === 'string') return x.result;
  return undefined;
}

/** The left and right values behind an asymmetry, read from the intake at its `inputs`. */
export function asymmetryValues(a: Asymmetry, intake: unknown): { left?: string; right?: string } {
  const out: { left?: string; right?: string } = {};
  const inputs = Array.isArray(a.inputs) ? (a.inputs as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const detail = a.measure.split('.')[2];
  const unit = a.measure.startsWith('movement.fms') ? ' points' : a.measure.startsWith('movement.y_balance') ? ' cm' : '';
  for (const path of inputs) {
    const x = at(intake, path);
    if (!x || typeof x !== 'object') continue;
    const rec = x as Record<string, unknown>;
    if (rec.side === 'left' || rec.side === 'right') {
      const t = measurementText(rec);
      if (t !== undefined) out[rec.side] = t;
      continue;
    }
    for (const side of ['left', 'right'] as const) {
      let val = rec[side];
      if (val && typeof val === 'object' && detail) val = (val as Record<string, unknown>)[detail];
      if (typeof val === 'number') out[side] = `${val}${unit}`;
    }
  }
  return out;
}

/** An asymmetry in words: "Side bridge (side plank) endurance: left 20 s vs right 60 s, left weaker". */
export function asymmetryWords(a: Asymmetry, v: Vocabulary, intake?: unknown): string {
  const name = measureLabel(a.measure, v);
  const vals = asymmetryValues(a, intake);
  const values = vals.left !== undefined && vals.right !== undefined ? `left ${vals.left} vs right ${vals.right}` : '';
  const diff = typeof a.difference === 'number' ? a.difference : typeof a.difference_cm === 'number' ? a.difference_cm : undefined;
  const unit = a.unit === 'deg' ? '°' : a.unit ? ` ${a.unit}` : typeof a.difference_cm === 'number' ? ' cm' : '';
  let verdict = '';
  if (typeof a.lsi_percent === 'number' && a.weaker_side) {
    const other = a.weaker_side === 'left' ? 'right' : 'left';
    verdict = values ? `${a.weaker_side} weaker` : `${a.weaker_side} weaker: ${a.lsi_percent} % of the ${other}`;
  } else if (a.limited_side) {
    if (a.method === 'gird') verdict = `internal rotation deficit (GIRD) of ${diff ?? ''}${unit} on the ${a.limited_side}`;
    else if (a.method === 'total_arc') verdict = `total rotation arc ${diff ?? ''}${unit} smaller on the ${a.limited_side}`;
    else verdict = values || diff === undefined ? `${a.limited_side} more limited` : `${a.limited_side} more limited by ${diff}${unit}`;
  }
  return `${name}: ${[values, verdict].filter(Boolean).join(', ') || 'sides differ'}`;
}

// ---- the whole summary ----------------------------------------------------

export interface FindingsSummary {
  referrals: ReferralWords[];
  patterns: PatternWords[];
  /** The findings that matter most, at most TOP_FINDINGS lines. */
  top: SummaryItem[];
  /** Muscles tight and weak at once that did not make the top lines: still explained in the summary. */
  alsoTightAndWeak: SummaryItem[];
  /** Lines not in `top`. */
  more: number;
  asymmetries: string[];
}

/** What a clinician reads first, from the findings as reviewed (dismissed ones left out by the caller). */
export function summarize(doc: Pick<Findings, 'referrals' | 'patterns' | 'asymmetries'>, findings: Finding[], v: Vocabulary, intake?: unknown, limit = TOP_FINDINGS): FindingsSummary {
  const items = summaryItems(findings, v);
  const top = items.slice(0, limit);
  const referrals = (doc.referrals ?? []).map((r) => referralWords(r, v));
  referrals.sort((a, b) => (URGENCY_ORDER[a.urgency] ?? 2) - (URGENCY_ORDER[b.urgency] ?? 2));
  return {
    referrals,
    patterns: (doc.patterns ?? []).map((p) => patternWords(p, v)).sort((a, b) => b.confidence - a.confidence),
    top,
    alsoTightAndWeak: items.slice(limit).filter((i) => i.muscles.some((l) => l.tightAndWeak)),
    more: Math.max(0, items.length - top.length),
    asymmetries: (doc.asymmetries ?? []).map((a) => asymmetryWords(a, v, intake)),
  };
}

// ---- notes for the full list ----------------------------------------------

/**
 * What the full list says beside one finding, so that findings that seem to
 * contradict or repeat each other are explained: the same muscle and side
 * found in the other state, a group finding beside its own muscles' findings.
 */
export function findingNotes(f: Finding, all: Finding[], v: Vocabulary): string[] {
  const notes: string[] = [];
  const other = all.filter((x) => x !== f && x.muscle === f.muscle && x.state !== f.state && (x.side === f.side || x.side === 'both' || f.side === 'both'));
  if (other.length) notes.push(`Also found ${other[0].state} on this side: ${TIGHT_AND_WEAK}`);
  const group = v.muscles?.groups.find((g) => g.id === f.muscle);
  if (group && isGroupOnly(v, f.muscle)) {
    const members = group.members.filter((m) => all.some((x) => x.muscle === m && x.state === f.state)).map((m) => lowerFirst(muscleLabel(v, m)));
    if (members.length)
      notes.push(`A muscle group: its own muscles ${joinWords(members)} are also found ${f.state}; the summary shows them as one line.`);
  }
  for (const g of v.muscles?.groups ?? []) {
    if (g.id === f.muscle || !g.members.includes(f.muscle) || !isGroupOnly(v, g.id)) continue;
    if (all.some((x) => x.muscle === g.id && x.state === f.state))
      notes.push(`Part of the ${lowerFirst(g.name)}, also found ${f.state} as a group; the summary shows them as one line.`);
  }
  return notes;
}
