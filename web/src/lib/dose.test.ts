import { describe, expect, it } from 'vitest';
import { doseText, isHold, mergeTargets } from './dose';

describe('dose text', () => {
  it('describes reps, holds and sides', () => {
    expect(doseText({ sets: 3, reps: 15, hold_seconds: 2, per_side: false })).toBe('3 × 15, hold 2 s');
    expect(doseText({ sets: 3, hold_seconds: 30, per_side: true })).toBe('3 × 30 s hold per side');
    expect(doseText({ sets: 3, reps: 10, per_side: true, sets_by_side: { left: 4, right: 3 } })).toBe('3 × 10 per side (sets: left 4, right 3)');
    expect(isHold({ hold_seconds: 30 })).toBe(true);
    expect(isHold({ reps: 15, hold_seconds: 2 })).toBe(false);
  });
});

describe('targets', () => {
  it('merges left and right of one muscle into both', () => {
    expect(
      mergeTargets([
        { muscle: 'iliopsoas', side: 'left', state: 'tight' },
        { muscle: 'rectus_femoris', side: 'both', state: 'tight' },
        { muscle: 'iliopsoas', side: 'right', state: 'tight' },
        { muscle: 'iliopsoas', side: 'left', state: 'weak' },
      ]),
    ).toEqual([
      { muscle: 'iliopsoas', side: 'both', state: 'tight' },
      { muscle: 'rectus_femoris', side: 'both', state: 'tight' },
      { muscle: 'iliopsoas', side: 'left', state: 'weak' },
    ]);
  });
});
