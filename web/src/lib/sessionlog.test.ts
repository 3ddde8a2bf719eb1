import { describe, expect, it } from 'vitest';
import type { Program, ProgramItem, SessionLog } from '../types';
import { doneText, sessionRows } from './sessionlog';

const item = (exercise: string, extra: Partial<ProgramItem> = {}): ProgramItem => ({ exercise, phase: 'strengthen', sets: 3, reps: 10, per_side: false, targets: [], ...extra });

const program = {
  sessions: [
    { week: 1, day: 1, date: '2026-11-30', estimated_minutes: 20, items: [item('glute_bridge'), item('side_plank', { reps: undefined, hold_seconds: 20, per_side: true })] },
    { week: 1, day: 2, date: '2026-12-02', estimated_minutes: 20, items: [item('squat')] },
  ],
} as unknown as Program;

const log = (items: SessionLog['items']): SessionLog => ({ schema: 'rebalance.log/1', program: 'p', week: 1, day: 1, date: '2026-11-30', effort: 6, pain: 2, note: 'side plank on the left very hard', items });

describe('a logged session against its plan', () => {
  it('marks what was done and what was skipped, in the planned order', () => {
    const rows = sessionRows(program, log([{ exercise: 'glute_bridge', sets_done: 3, reps_done: [12, 10, 8] }]));
    expect(rows.map((r) => [r.exercise, r.status])).toEqual([
      ['glute_bridge', 'done'],
      ['side_plank', 'skipped'],
    ]);
    expect(doneText(rows[0].logged!)).toBe('3 sets: 12, 10, 8 reps');
  });
  it('keeps what was logged but not planned', () => {
    const rows = sessionRows(program, log([{ exercise: 'squat', sets_done: 1 }]));
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped', 'extra']);
    expect(doneText(rows[2].logged!)).toBe('1 set');
  });
  it('describes holds', () => {
    expect(doneText({ exercise: 'side_plank', sets_done: 2, hold_seconds_done: 20 })).toBe('2 sets, 20 s holds');
  });
});
