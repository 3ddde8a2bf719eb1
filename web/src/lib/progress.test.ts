import { describe, expect, it } from 'vitest';
import { comparisonPair, dayCount, daysBetween, earlierChoices, laterChoices, nextReassessment, reassessmentDue } from './progress';

const list = ['a1', 'a2', 'a3', 'a4'].map((id, i) => ({ id, created_at: 1000 + i }));

describe('comparisonPair', () => {
  it('needs two assessments', () => {
    expect(comparisonPair([], undefined)).toBeNull();
    expect(comparisonPair(list.slice(0, 1))).toBeNull();
  });
  it('compares the latest with the one before by default', () => {
    expect(comparisonPair(list.slice(0, 2))).toEqual({ after: 'a2', before: 'a1' });
    expect(comparisonPair(list)).toEqual({ after: 'a4', before: 'a3' });
  });
  it('keeps a chosen pair when the earlier one is earlier', () => {
    expect(comparisonPair(list, 'a4', 'a1')).toEqual({ after: 'a4', before: 'a1' });
    expect(comparisonPair(list, 'a3')).toEqual({ after: 'a3', before: 'a2' });
  });
  it('falls back when a choice does not fit', () => {
    // The first assessment has nothing before it; an unknown id is the latest.
    expect(comparisonPair(list, 'a1')).toEqual({ after: 'a4', before: 'a3' });
    expect(comparisonPair(list, 'gone')).toEqual({ after: 'a4', before: 'a3' });
    // "Before" not earlier than "after": the one just before.
    expect(comparisonPair(list, 'a2', 'a3')).toEqual({ after: 'a2', before: 'a1' });
    expect(comparisonPair(list, 'a2', 'a2')).toEqual({ after: 'a2', before: 'a1' });
  });
});

describe('choices', () => {
  it('lists the later assessments and the earlier ones, newest first', () => {
    expect(laterChoices(list).map((a) => a.id)).toEqual(['a4', 'a3', 'a2']);
    expect(earlierChoices(list, 'a3').map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(earlierChoices(list, 'a1')).toEqual([]);
    expect(earlierChoices(list, 'gone')).toEqual([]);
  });
});

describe('reassessmentDue', () => {
  const dates = [
    { week: 8, date: '2026-03-23' },
    { week: 4, date: '2026-02-23' },
  ];
  it('says nothing is known without dates', () => {
    expect(reassessmentDue(undefined, '2026-02-01')).toEqual({ kind: 'none' });
    expect(reassessmentDue([], '2026-02-01')).toEqual({ kind: 'none' });
  });
  it('gives the next date, the days to it and the ones after', () => {
    expect(reassessmentDue(dates, '2026-02-01')).toEqual({
      kind: 'upcoming',
      week: 4,
      date: '2026-02-23',
      days: 22,
      later: [{ week: 8, date: '2026-03-23' }],
    });
  });
  it('is due today, then overdue from the first date past', () => {
    expect(reassessmentDue(dates, '2026-02-23')).toEqual({ kind: 'today', week: 4, date: '2026-02-23' });
    expect(reassessmentDue(dates, '2026-03-01')).toEqual({ kind: 'overdue', week: 4, date: '2026-02-23', days: 6 });
    expect(reassessmentDue(dates, '2026-04-01')).toEqual({ kind: 'overdue', week: 4, date: '2026-02-23', days: 37 });
  });
});

describe('dates', () => {
  it('counts days across months and daylight saving', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
    expect(dayCount(1)).toBe('1 day');
    expect(dayCount(3)).toBe('3 days');
  });
  it('nextReassessment: from today on', () => {
    const dates = [
      { week: 4, date: '2026-02-23' },
      { week: 8, date: '2026-03-23' },
    ];
    expect(nextReassessment(dates, '2026-02-23')).toEqual(dates[0]);
    expect(nextReassessment(dates, '2026-02-24')).toEqual(dates[1]);
    expect(nextReassessment(dates, '2026-04-01')).toBeNull();
    expect(nextReassessment(undefined, '2026-04-01')).toBeNull();
  });
});
