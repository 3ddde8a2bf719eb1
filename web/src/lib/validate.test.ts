import { describe as suite, expect, it } from 'vitest';
import { testVocabulary } from './test-vocabulary';
import { describe, doubleText, localProblems, mergeProblems, problem } from './validate';

const base = { schema: 'rebalance.intake/1' };
const localProblemsOf = (intake: unknown) => localProblems(intake, testVocabulary);

suite('local validation', () => {
  it('reports an out-of-range age exactly like the engine', () => {
    const p = localProblemsOf({ ...base, client: { age: 150 } });
    expect(p).toEqual([
      {
        path: '$.client.age',
        expected: 'an age in whole years 1-120',
        found: '150',
        message: '$.client.age: expected an age in whole years 1-120, found 150',
      },
    ]);
  });

  it('rejects a fractional age and text, quoting strings', () => {
    expect(localProblemsOf({ ...base, client: { age: 41.5 } })[0].found).toBe('41.5');
    expect(localProblemsOf({ ...base, client: { age: 'abc' } })[0].message).toBe(
      '$.client.age: expected an age in whole years 1-120, found "abc"',
    );
  });

  it('accepts values inside every range', () => {
    expect(
      localProblemsOf({
        ...base,
        client: { age: 41, mass_kg: 70, height_cm: 170 },
        lifestyle: { sitting_hours_per_day: 9 },
        preferences: { days_per_week: 3, minutes_per_session: 20, weeks: 8 },
        pain: [{ region: 'low_back', intensity: 10 }],
        posture: { craniovertebral_angle_deg: 44, anterior_pelvic_tilt_deg: -5 },
        rom: [{ test: 'hip_extension', side: 'left', degrees: -90 }, { test: 'weight_bearing_lunge', side: 'left', cm: 0 }],
        strength: [{ test: 'hip_abduction', side: 'left', value: 4.5, unit: 'mmt' }],
        endurance: [{ test: 'side_plank', side: 'left', seconds: 3600 }],
        movement: { fms: { deep_squat: 0, hurdle_step: { left: 3, right: 2 }, shoulder_clearing: true } },
      }),
    ).toEqual([]);
  });

  it('checks pain intensity as a whole number 0-10', () => {
    const p = localProblemsOf({ ...base, pain: [{ region: 'knee', intensity: 4 }, { region: 'neck', intensity: 11 }] });
    expect(p.map((x) => x.message)).toEqual(['$.pain[1].intensity: expected a whole number 0-10, found 11']);
  });

  it('checks degrees, distances and seconds', () => {
    const p = localProblemsOf({
      ...base,
      rom: [{ test: 'hip_extension', side: 'left', degrees: 300 }, { test: 'weight_bearing_lunge', side: 'right', cm: -1 }],
      endurance: [{ test: 'side_plank', side: 'left', seconds: 4000 }],
    });
    expect(p.map((x) => x.message)).toEqual([
      '$.rom[0].degrees: expected a number of degrees (-90 to 200), found 300',
      '$.rom[1].cm: expected a distance in cm (0-300), found -1',
      '$.endurance[0].seconds: expected seconds 0-3600, found 4000',
    ]);
  });

  it('prints posture bounds the way the engine dumps doubles', () => {
    const p = localProblemsOf({ ...base, posture: { craniovertebral_angle_deg: 100 } });
    expect(p[0].expected).toBe('a number of deg (0.0 to 90.0)');
    expect(doubleText(-30)).toBe('-30.0');
    expect(doubleText(2.5)).toBe('2.5');
  });

  it('checks manual muscle test grades in half steps and positive forces', () => {
    const p = localProblemsOf({
      ...base,
      strength: [
        { test: 'hip_abduction', side: 'left', value: 4.25, unit: 'mmt' },
        { test: 'hip_abduction', side: 'right', value: 6, unit: 'mmt' },
        { test: 'grip', side: 'left', value: 0, unit: 'N' },
      ],
    });
    expect(p.map((x) => x.message)).toEqual([
      '$.strength[0].value: expected a manual muscle test grade 0-5 in steps of 0.5, found 4.25',
      '$.strength[1].value: expected a manual muscle test grade 0-5 in steps of 0.5, found 6',
      '$.strength[2].value: expected a positive number, found 0',
    ]);
  });

  it('checks FMS scores and preferences', () => {
    const p = localProblemsOf({
      ...base,
      preferences: { days_per_week: 8, minutes_per_session: 4, weeks: 53 },
      movement: { fms: { deep_squat: 4, hurdle_step: { left: 1.5, right: 2 } } },
    });
    expect(p.map((x) => x.message)).toEqual([
      '$.preferences.days_per_week: expected whole days per week 1-7, found 8',
      '$.preferences.minutes_per_session: expected whole minutes per session 5-180, found 4',
      '$.preferences.weeks: expected whole weeks 1-52, found 53',
      '$.movement.fms.deep_squat: expected a score 0-3, found 4',
      '$.movement.fms.hurdle_step.left: expected a score 0-3, found 1.5',
    ]);
  });

  it('describes values like the engine', () => {
    expect(describe('x'.repeat(70))).toHaveLength(60);
    expect(describe(null)).toBe('null');
    expect(describe([1])).toBe('an array');
    expect(describe(true)).toBe('true');
  });

  it('lets the server wording win when merging', () => {
    const local = [problem('$.client.age', 'a', '1'), problem('$.pain[0].intensity', 'b', '2')];
    const server = [problem('$.client.age', 'server', '1')];
    const merged = mergeProblems(local, server);
    expect(merged).toHaveLength(2);
    expect(merged.find((p) => p.path === '$.client.age')?.expected).toBe('server');
  });
});
