import { describe, expect, it } from 'vitest';
import type { LogEntry, Program, Session } from '../types';
import { percentText, pickTodaySession, versionChain } from './adherence';

function session(week: number, day: number, date: string): Session {
  return { week, day, date, estimated_minutes: 10, items: [{ exercise: 'glute_bridge', phase: 'strengthen', sets: 3, reps: 15, per_side: false, targets: [] }] };
}

const program: Program = {
  id: 'p_1',
  schema: 'rebalance.program/1',
  weeks: 2,
  days_per_week: 2,
  minutes_per_session: 20,
  start_date: '2026-11-02',
  sessions: [session(1, 1, '2026-11-02'), session(1, 2, '2026-11-04'), session(2, 1, '2026-11-09'), session(2, 2, '2026-11-11')],
};

function log(week: number, day: number, date: string): LogEntry {
  return {
    id: `l_${week}${day}`,
    created_at: 0,
    log: { schema: 'rebalance.log/1', program: 'p_1', week, day, date, effort: 5, pain: 0, items: [{ exercise: 'glute_bridge', sets_done: 3 }] },
  };
}

describe('sessions', () => {
  it('picks today, then the next upcoming, then the last session', () => {
    expect(pickTodaySession(program, [], '2026-11-04')?.date).toBe('2026-11-04');
    expect(pickTodaySession(program, [log(1, 2, '2026-11-04')], '2026-11-04')?.date).toBe('2026-11-09');
    const all = program.sessions.map((s) => log(s.week, s.day, s.date));
    expect(pickTodaySession(program, all, '2026-12-01')?.date).toBe('2026-11-11');
  });

  it('says a percentage, or a dash when nothing is due yet', () => {
    expect(percentText(66.7)).toBe('67 %');
    expect(percentText(null)).toBe('—');
  });
});

describe('program versions', () => {
  it('follows supersedes back to the planned version, ignoring other plans', () => {
    const list = [
      { id: 'p1', created_at: 1, version: 1, supersedes: null },
      { id: 'p2', created_at: 2, version: 2, supersedes: 'p1' },
      { id: 'q1', created_at: 3, version: 1, supersedes: null },
      { id: 'p3', created_at: 4, version: 3, supersedes: 'p2' },
    ];
    expect(versionChain(list, 'p3').map((p) => p.id)).toEqual(['p3', 'p2', 'p1']);
    expect(versionChain(list, 'q1').map((p) => p.id)).toEqual(['q1']);
    expect(versionChain(list, 'missing')).toEqual([]);
  });
});
