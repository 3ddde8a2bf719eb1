import { describe, expect, it } from 'vitest';
import { doseProblems, sessionsWith } from './edits';
import type { Program } from '../types';

describe('doseProblems', () => {
  it('accepts the ranges the engine accepts and leaves empty fields alone', () => {
    expect(doseProblems({ sets: '10', reps: '100', hold: '600' })).toEqual({});
    expect(doseProblems({ sets: '', reps: '', hold: '' })).toEqual({});
    expect(doseProblems({ sets: '1', reps: '1', hold: '1.5' })).toEqual({});
  });
  it('refuses 50 sets, fractions of a set, no reps and a hold too long, saying what is expected', () => {
    const p = doseProblems({ sets: '50', reps: '0', hold: '601' });
    expect(p.sets).toBe('Expected a whole number of sets from 1 to 10, found 50.');
    expect(p.reps).toContain('from 1 to 100');
    expect(p.hold).toContain('1 to 600 seconds');
    expect(doseProblems({ sets: '2.5', reps: '', hold: '' }).sets).toContain('whole number');
    expect(doseProblems({ sets: 'three', reps: '', hold: '' }).sets).toContain('found three');
  });
  it('for one side: sets only, and they must be given', () => {
    expect(doseProblems({ sets: '4', reps: '', hold: '' }, 'left')).toEqual({});
    expect(doseProblems({ sets: '', reps: '', hold: '' }, 'left').sets).toContain('enter them');
    expect(doseProblems({ sets: '4', reps: '', hold: '45' }, 'right').hold).toContain('keep the hold');
  });
});

describe('sessionsWith', () => {
  it('lists the sessions holding the exercise, in order', () => {
    const item = (exercise: string) => ({ exercise, phase: 'stretch' as const, sets: 3, per_side: false, targets: [] });
    const program = {
      weeks: 1,
      days_per_week: 2,
      minutes_per_session: 20,
      start_date: '2026-11-30',
      sessions: [
        { week: 1, day: 1, date: '2026-11-30', estimated_minutes: 10, items: [item('a'), item('b')] },
        { week: 1, day: 2, date: '2026-12-02', estimated_minutes: 10, items: [item('b')] },
      ],
    } as unknown as Program;
    expect(sessionsWith(program, 'a').map((s) => s.date)).toEqual(['2026-11-30']);
    expect(sessionsWith(program, 'b').map((s) => s.day)).toEqual([1, 2]);
    expect(sessionsWith(program, 'c')).toEqual([]);
  });
});
