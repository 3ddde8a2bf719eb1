// Sessions and their logs: which are logged, the session a client should do
// today, a program's versions. Adherence itself is the server's
// (GET /programs/{id}/adherence).
import type { LogEntry, Program, ProgramListItem, Session } from '../types';

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
