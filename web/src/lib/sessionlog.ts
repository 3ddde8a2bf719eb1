// One logged session set against what was planned for it: every planned
// exercise done or skipped, with what the client reported, and anything
// logged that was not planned. What a practitioner reads to answer a client.
import type { LogItem, Program, ProgramItem, SessionLog } from '../types';

export interface SessionRow {
  exercise: string;
  planned: ProgramItem | null;
  logged: LogItem | null;
  status: 'done' | 'skipped' | 'extra';
}

export function sessionRows(program: Program, log: SessionLog): SessionRow[] {
  const session = program.sessions.find((s) => s.week === log.week && s.day === log.day);
  const planned = session?.items ?? [];
  const rows: SessionRow[] = [];
  const used = new Set<number>();
  for (const item of planned) {
    const i = log.items.findIndex((l, k) => !used.has(k) && l.exercise === item.exercise);
    if (i >= 0) used.add(i);
    rows.push({ exercise: item.exercise, planned: item, logged: i >= 0 ? log.items[i] : null, status: i >= 0 ? 'done' : 'skipped' });
  }
  log.items.forEach((l, k) => {
    if (!used.has(k)) rows.push({ exercise: l.exercise, planned: null, logged: l, status: 'extra' });
  });
  return rows;
}

/** What the client did of one exercise, in words: "3 sets: 12, 10, 8 reps", "2 sets, 30 s holds". */
export function doneText(l: LogItem): string {
  const sets = `${l.sets_done} set${l.sets_done === 1 ? '' : 's'}`;
  if (l.reps_done && l.reps_done.length > 0) return `${sets}: ${l.reps_done.join(', ')} reps`;
  if (l.hold_seconds_done) return `${sets}, ${l.hold_seconds_done} s holds`;
  return sets;
}
