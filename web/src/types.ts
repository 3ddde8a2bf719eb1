// Shapes of the API's JSON, in one place. Where the server's OpenAPI
// document describes a shape (web/openapi.json, generated into
// src/api/schema.d.ts by `npm run gen:api`), its type is the document's;
// the rest (the contract's documents, where the document says only
// "object") are written here by hand (contract sections 4-6).
import type { components } from './api/schema';

/** The schemas of the server's OpenAPI document. */
export type Schemas = components['schemas'];

export type Role = Schemas['Role'];
export type User = Schemas['User'];
/** An account as the admin's list (GET /users) shows it: with when it was made and whether it has a password. */
export type Account = Schemas['UserList']['users'][number] & Required<Pick<User, 'created_at' | 'has_password'>>;
export type Client = Schemas['Client'];
export type ClientAdherence = Schemas['AdherenceSummary'];
/** One message of a client's thread with their care team. */
export type Message = Schemas['Message'];
export type MessageThreadDoc = Schemas['MessageThread'];
/** An invitation or password link (POST /clients/{id}/invite, /users/{id}/password-reset). */
export type InviteLink = Schemas['Link'];
export type AuditEntry = Schemas['AuditTrail']['entries'][number];
/** GET /clients/{id}/links: what gives access to a client's data besides the care team's own logins. */
export type ClientLinks = Schemas['ClientLinks'];
export type AssessmentListItem = Schemas['AssessmentList']['assessments'][number];

export type Side = 'left' | 'right' | 'both';
export type State = 'tight' | 'weak';






export interface Evidence {
  input: string;
  test?: string;
  side?: string;
  observed?: string;
  expected?: string;
  rule?: string;
  source?: string;
  supports?: boolean;
}

export interface Finding {
  muscle: string;
  side: Side;
  state: State;
  severity: 'mild' | 'moderate' | 'severe';
  confidence: number;
  evidence: Evidence[];
  /** Some of the evidence speaks against the finding (an entry with supports: false). */
  conflicting_evidence?: boolean;
}

export interface Asymmetry {
  measure: string;
  lsi_percent?: number;
  weaker_side?: string;
  threshold_percent?: number;
  involved_side?: string;
  lsi_involved_percent?: number;
  difference?: number;
  unit?: string;
  limited_side?: string;
  difference_cm?: number;
  composite_percent?: { left?: number; right?: number };
  [key: string]: unknown;
}

export interface Ratio {
  name: string;
  side: string;
  value: number;
  normal_min?: number;
  normal_max?: number;
  method?: string;
  source?: string;
}

export interface Referral {
  reason: string;
  region?: string;
  flag?: string;
  /** emergency | urgent | soon */
  urgency?: string;
  scope?: string;
  detail?: string;
  [key: string]: unknown;
}

export interface Findings {
  schema: string;
  knowledge_base?: { version: string };
  findings: Finding[];
  asymmetries?: Asymmetry[];
  ratios?: Ratio[];
  patterns?: { id: string; confidence: number; [key: string]: unknown }[];
  referrals?: Referral[];
  [key: string]: unknown;
}

export interface AssessmentDoc {
  id: string;
  client_id: string;
  created_at: number;
  created_by?: string;
  knowledge_base?: string;
  input: unknown;
  output: Findings;
  review?: unknown;
}


export interface Target {
  muscle: string;
  side: Side;
  state: State;
}

export interface ProgramItem {
  exercise: string;
  phase: 'stretch' | 'strengthen' | 'functional';
  sets: number;
  reps?: number;
  hold_seconds?: number;
  per_side: boolean;
  sets_by_side?: { left?: number; right?: number };
  note?: string;
  targets: Target[];
  estimated_minutes?: number;
  rest_seconds?: number;
  tempo?: string;
}

export interface Session {
  week: number;
  day: number;
  date: string;
  estimated_minutes: number;
  items: ProgramItem[];
}

/** Where an edit applies: every week (default), from a day on, or the one session of a day. */
export interface EditScope {
  from?: string;
  only_on?: string;
  /** Every week's session of this number. */
  day?: number;
}

export type Edit = EditScope &
  (
    | { op: 'swap'; exercise: string; with: string }
    | { op: 'dose'; exercise: string; sets?: number; reps?: number; hold_seconds?: number; side?: 'left' | 'right' }
    | { op: 'remove'; exercise: string }
    | { op: 'add'; exercise: string }
    | { op: 'reassess'; week: number; date: string; exercise?: undefined }
  );

export interface Program {
  id?: string;
  client_id?: string;
  assessment_id?: string;
  schema: string;
  weeks: number;
  days_per_week: number;
  minutes_per_session: number;
  start_date: string;
  version?: number;
  supersedes?: string | null;
  edits?: Edit[];
  /** The template the program started from, when it did. */
  template?: { id: string; name: string };
  omitted?: { finding?: Target; exercise?: string; reason: string }[];
  reassessments?: { week: number; date: string }[];
  sessions: Session[];
}

export interface ProgramListItem {
  id: string;
  created_at: number;
  assessment_id?: string;
  version?: number;
  supersedes?: string | null;
}

export interface LogItem {
  exercise: string;
  sets_done: number;
  reps_done?: number[];
  hold_seconds_done?: number;
  side?: Side;
  effort?: number;
  pain?: number;
}

export interface SessionLog {
  schema: 'rebalance.log/1';
  program: string;
  week: number;
  day: number;
  date: string;
  effort: number;
  pain: number;
  note?: string;
  items: LogItem[];
}

export interface LogEntry {
  id: string;
  created_at: number;
  created_by?: string;
  log: SessionLog | null;
}

export type AdherenceWeek = Schemas['AdherenceWeek'];
export type SessionRef = Schemas['SessionRef'];
export type Adherence = Schemas['Adherence'];

export interface Exercise {
  id: string;
  name: string;
  phase: 'stretch' | 'strengthen' | 'functional';
  targets: { primary: string[]; secondary: string[] };
  equipment: string[];
  position?: string;
  difficulty?: number;
  loads?: string[];
  contraindications?: { region: string; min_intensity: number; reason: string }[];
  instructions: string[];
  cues: string[];
  dose: { sets?: number; reps?: number; hold_seconds?: number; per_side?: boolean; tempo?: string; rest_seconds?: number };
  estimated_minutes?: number;
  progression?: string | null;
  regression?: string | null;
  source?: string;
}

export interface MuscleGroup {
  id: string;
  name: string;
  members: string[];
}

export interface Muscle {
  id: string;
  name: string;
  groups: string[];
  region?: string;
  midline?: boolean;
}

export interface MusclesDoc {
  groups: MuscleGroup[];
  muscles: Muscle[];
}

export interface TestDef {
  id: string;
  section: 'rom' | 'strength' | 'endurance';
  name: string;
  sided: boolean;
  measures: string[];
  methods?: string[];
  default_method?: string;
  positions?: string[];
  default_position?: string;
  default_protocol?: string;
  how_to?: string;
  watch?: string;
  positive?: string;
  normal?: Record<string, { min?: number; max?: number; equals?: string }>;
  measurement_error?: { sem?: number; mdc?: number; unit?: string; source?: string } | null;
  /** The rules the engine judges with (GET /api/v1/tests); see lib/reference.ts. */
  rules?: TestRule[];
}

/** A limit as the knowledge base writes it: a number, or by sex with age and sex bands. */
export type TestThreshold =
  | number
  | {
      value?: number;
      by_sex?: { default: number; female?: number; male?: number };
      bands?: { age_min?: number; age_max?: number; sex?: 'female' | 'male'; value: number; moderate?: number; severe?: number; label: string }[];
    };

export interface TestRule {
  id: string;
  measure: string;
  below?: TestThreshold;
  above?: TestThreshold;
  equals?: string;
  /** The full limit when the server sends it (else `below`/`above` may be only its adult-wide value). */
  threshold?: TestThreshold;
  /** The protocol the rule is for; absent: any. */
  position?: string;
  source?: string;
}

export interface Guidance {
  prevention_tips: { id: string; text: string }[];
  prevention_source?: string;
  functional?: { text: string; [key: string]: unknown };
}

/** One entry of a vocabulary: an id and what people read for it. */
export type Term = Schemas['Term'];

/**
 * The knowledge base's vocabularies (GET /api/v1/vocabulary, written by
 * render::vocabulary_json): every list in the order people are shown it.
 */
export type VocabularyDoc = Schemas['Vocabulary'];

// Shapes the app reads from routes the OpenAPI document does not describe
// in detail yet (GET /api/v1/openapi.json; src/api/schema.d.ts).

export interface Comparison {
  before: string;
  after: string;
  summary: { resolved: number; improved: number; unchanged: number; worse: number; new: number };
  findings: { muscle: string; name: string; side: string; state: string; before: string | null; after: string | null; change: string }[];
  measures: {
    measure: string;
    side: string;
    unit: string;
    before: number | string | null;
    after: number | string | null;
    delta?: number | null;
    mdc?: number | null;
    verdict: string;
  }[];
  asymmetries: {
    measure: string;
    before_lsi_percent: number | null;
    after_lsi_percent: number | null;
    before_difference: number | null;
    after_difference: number | null;
    unit: string;
    change: string;
  }[];
}



/** A program template of the practitioner's (GET /api/v1/templates?kind=program). */
export interface ProgramTemplate {
  id: string;
  name: string;
  created_at: number;
  body: { days: { day: number; exercises: { exercise: string }[] }[]; weeks: number; days_per_week: number; minutes_per_session: number };
}

/** What POST /clients/{id}/invite answers: a link to join, or, once the client has an account, to set a new password. */

/** GET /clients/{id}/links: what gives access to a client's data besides the care team's own logins. */

export interface AdaptChange {
  kind: 'progressed' | 'held' | 'regressed' | 'repeated_week';
  from_week: number;
  exercise?: string;
  replacement?: string;
  reason: string;
  /** The rule's source, shown on demand. */
  source?: string;
  /** The session that set it off (an eased exercise). */
  date?: string;
}
/** One per painful session, naming every exercise it concerns. */
export interface AdaptFlag {
  date: string;
  exercises: string[];
  reason: string;
  source?: string;
}
export type Adapted = Program & { changes: AdaptChange[]; flags: AdaptFlag[] };

/** A template as GET / POST /api/v1/templates answer it. */
export interface TestSetTemplate {
  id: string;
  kind: string;
  name: string;
  body?: { tests?: unknown };
  created_at?: unknown;
}

/** What POST /api/v1/templates takes for a test set. */
export interface TestSetRequest {
  kind: 'test_set';
  name: string;
  tests: string[];
}
