// Adherence from a program and its logs. The server's GET
// /programs/{id}/adherence is the authority; this computes the same shape
// locally when that endpoint is not there (older servers) and picks the
// session a client should do today.
import type { Adherence, LogEntry, Program, ProgramListItem, Session, SessionRef } from '../types';

export function sessionKey(s: { week: number; day: number }): string {
  return `${s.week}-${s.day}`;
}

export function loggedKeys(logs: LogEntry[]): Set<string> {
  const out = new Set<string>();
  for (const l of logs) if (l.log) out.add(sessionKey(l.log));
  return out;
}

/** ISO date (YYYY-MM-DD) of a Date in local time. */
export function isoDate(d: Date): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${day}`;
}

function ref(s: Session): SessionRef {
  return { week: s.week, day: s.day, date: s.date };
}

export function computeAdherence(program: Program, logs: LogEntry[], asOf: string): Adherence {
  const done = loggedKeys(logs);
  const sessions = [...program.sessions].sort((a, b) => a.date.localeCompare(b.date) || a.week - b.week || a.day - b.day);
  // A session is due once its date has come; today's counts as done when logged, never as missed.
  const due = sessions.filter((s) => s.date < asOf || (s.date === asOf && done.has(sessionKey(s))));
  const completedDue = due.filter((s) => done.has(sessionKey(s))).length;
  let current = 0;
  for (let i = due.length - 1; i >= 0 && done.has(sessionKey(due[i])); i--) current++;
  let longest = 0;
  let run = 0;
  for (const s of due) {
    run = done.has(sessionKey(s)) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const next = sessions.find((s) => s.date >= asOf && !done.has(sessionKey(s)));
  const weeks = new Map<number, Adherence['weeks'][number]>();
  for (const s of sessions) {
    const w = weeks.get(s.week) ?? {
      week: s.week,
      planned_sessions: 0,
      due_sessions: 0,
      completed_sessions: 0,
      planned_items: 0,
      completed_items: 0,
    };
    w.planned_sessions++;
    w.planned_items += s.items.length;
    if (due.includes(s)) w.due_sessions++;
    if (done.has(sessionKey(s))) w.completed_sessions++;
    weeks.set(s.week, w);
  }
  for (const l of logs) {
    if (!l.log) continue;
    const w = weeks.get(l.log.week);
    if (w) w.completed_items += l.log.items.length;
  }
  return {
    program_id: program.id ?? '',
    as_of: asOf,
    due_sessions: due.length,
    completed_sessions: sessions.filter((s) => done.has(sessionKey(s))).length,
    consistency_percent: due.length ? Math.round((completedDue / due.length) * 1000) / 10 : null,
    current_streak: current,
    longest_streak: longest,
    missed: due.filter((s) => !done.has(sessionKey(s))).map(ref),
    next: next ? ref(next) : null,
    weeks: [...weeks.values()].sort((a, b) => a.week - b.week),
  };
}

/** The session to show on Today: today's if not done, else the next upcoming, else the last one. */
export function pickTodaySession(program: Program, logs: LogEntry[], today: string): Session | null {
  if (program.sessions.length === 0) return null;
  const done = loggedKeys(logs);
  const sorted = [...program.sessions].sort((a, b) => a.date.localeCompare(b.date));
  return sorted.find((s) => s.date >= today && !done.has(sessionKey(s))) ?? sorted.find((s) => !done.has(sessionKey(s))) ?? sorted[sorted.length - 1];
}

/** A percentage as shown to people: "83 %", or an em dash when nothing is due yet. */
export function percentText(p: number | null | undefined): string {
  return p === null || p === undefined ? '—' : `${Math.round(p)} %`;
}

/** A program version and the versions it revises, newest first (following `supersedes`). */
export function versionChain(programs: ProgramListItem[], id: string): ProgramListItem[] {
  const byId = new Map(programs.map((p) => [p.id, p]));
  const out: ProgramListItem[] = [];
  let cur = byId.get(id);
  while (cur && !out.includes(cur)) {
    out.push(cur);
    cur = cur.supersedes ? byId.get(cur.supersedes) : undefined;
  }
  return out;
}
