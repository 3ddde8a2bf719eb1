// Re-assessment on the Progress tab: which two assessments to compare, and,
// with only one so far, when the program says the re-assessment is due.

export interface AssessmentRef {
  id: string;
  created_at: number;
}

export interface ComparisonPair {
  /** The later assessment (the one compared). */
  after: string;
  /** The earlier one it is compared with. */
  before: string;
}

/**
 * The pair to compare, from the client's assessments oldest first: by
 * default the latest with the one just before it. A chosen `after` is kept
 * when it has an earlier assessment; a chosen `before` only when it is earlier
 * than `after` (else the one just before `after`). Null with fewer than two.
 */
export function comparisonPair(list: AssessmentRef[], after?: string, before?: string): ComparisonPair | null {
  if (list.length < 2) return null;
  let a = after ? list.findIndex((x) => x.id === after) : -1;
  if (a < 1) a = list.length - 1;
  let b = before ? list.findIndex((x) => x.id === before) : -1;
  if (b < 0 || b >= a) b = a - 1;
  return { after: list[a].id, before: list[b].id };
}

/** The assessments that can be compared (every one with an earlier one), newest first. */
export function laterChoices<T extends AssessmentRef>(list: T[]): T[] {
  return list.slice(1).reverse();
}

/** The assessments earlier than `after`, newest first (the one just before it first). */
export function earlierChoices<T extends AssessmentRef>(list: T[], after: string): T[] {
  const a = list.findIndex((x) => x.id === after);
  return a <= 0 ? [] : list.slice(0, a).reverse();
}

/** Whole days from ISO date `from` to ISO date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const utc = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

export interface Reassessment {
  week: number;
  date: string;
}

export type ReassessmentDue =
  | { kind: 'none' }
  | { kind: 'upcoming'; week: number; date: string; days: number; later: Reassessment[] }
  | { kind: 'today'; week: number; date: string }
  | { kind: 'overdue'; week: number; date: string; days: number };

/**
 * With one assessment so far: when the re-assessment is due, from the
 * program's re-assessment dates. A date already past means it is overdue
 * (since the first date past); otherwise the next one, with the ones after it.
 */
export function reassessmentDue(dates: Reassessment[] | undefined, today: string): ReassessmentDue {
  const sorted = [...(dates ?? [])].filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date)).sort((a, b) => a.date.localeCompare(b.date));
  if (sorted.length === 0) return { kind: 'none' };
  const first = sorted[0];
  const days = daysBetween(today, first.date);
  if (days < 0) return { kind: 'overdue', week: first.week, date: first.date, days: -days };
  if (days === 0) return { kind: 'today', week: first.week, date: first.date };
  return { kind: 'upcoming', week: first.week, date: first.date, days, later: sorted.slice(1) };
}

/** The next re-assessment date from today on, if the program has one. */
export function nextReassessment(dates: Reassessment[] | undefined, today: string): Reassessment | null {
  const next = [...(dates ?? [])].filter((r) => r.date >= today).sort((a, b) => a.date.localeCompare(b.date));
  return next[0] ?? null;
}

/** "in 1 day", "in 12 days". */
export function dayCount(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}
