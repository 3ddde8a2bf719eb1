import { describe, expect, it } from 'vitest';
import type { Asymmetry, Evidence, Finding, MusclesDoc, TestDef } from '../types';
import {
  asymmetryWords,
  describeEvidence,
  evidenceCount,
  evidenceLine,
  findingNotes,
  measureLabel,
  patternWords,
  referralWords,
  ruleWords,
  statePart,
  summarize,
  summaryItems,
  testLabel,
  words,
  type Vocabulary,
} from './findings';
import { testVocabulary } from './test-vocabulary';

const muscles: MusclesDoc = {
  groups: [
    { id: 'hip_flexors', name: 'Hip flexors', members: ['iliopsoas', 'rectus_femoris', 'tensor_fasciae_latae'] },
    { id: 'quadriceps', name: 'Quadriceps', members: ['rectus_femoris', 'vastus_medialis', 'vastus_lateralis'] },
    { id: 'hamstrings', name: 'Hamstrings', members: ['biceps_femoris', 'medial_hamstrings'] },
    { id: 'glutes', name: 'Glutes', members: ['gluteus_maximus', 'gluteus_medius'] },
    { id: 'chest', name: 'Chest', members: ['pectoralis_major', 'pectoralis_minor'] },
    { id: 'neck', name: 'Neck', members: ['upper_trapezius', 'levator_scapulae', 'sternocleidomastoid', 'suboccipitals'] },
    { id: 'upper_back', name: 'Upper back', members: ['rhomboids', 'middle_trapezius', 'lower_trapezius'] },
  ],
  muscles: [
    { id: 'iliopsoas', name: 'Iliopsoas', groups: ['hip_flexors'] },
    { id: 'rectus_femoris', name: 'Rectus femoris', groups: ['hip_flexors', 'quadriceps'] },
    { id: 'vastus_medialis', name: 'Vastus medialis', groups: ['quadriceps'] },
    { id: 'gluteus_maximus', name: 'Gluteus maximus', groups: ['glutes'] },
    { id: 'gluteus_medius', name: 'Gluteus medius', groups: ['glutes'] },
    { id: 'pectoralis_major', name: 'Pectoralis major', groups: ['chest'] },
    { id: 'pectoralis_minor', name: 'Pectoralis minor', groups: ['chest'] },
    { id: 'upper_trapezius', name: 'Upper trapezius', groups: ['neck'] },
    { id: 'levator_scapulae', name: 'Levator scapulae', groups: ['neck'] },
    { id: 'sternocleidomastoid', name: 'Sternocleidomastoid', groups: ['neck'] },
    { id: 'suboccipitals', name: 'Suboccipitals', groups: ['neck'] },
    { id: 'middle_trapezius', name: 'Middle trapezius', groups: ['upper_back'] },
    { id: 'rhomboids', name: 'Rhomboids', groups: ['upper_back'] },
  ],
};

const tests: TestDef[] = [
  { id: 'side_plank', section: 'endurance', name: 'Side bridge (side plank) endurance', sided: true, measures: ['seconds'] },
  { id: 'thomas_test', section: 'rom', name: 'Modified Thomas test', sided: true, measures: ['result'] },
  { id: 'hip_extension', section: 'rom', name: 'Hip extension (prone)', sided: true, measures: ['degrees'] },
  { id: 'hip_extension', section: 'strength', name: 'Hip extension strength', sided: true, measures: ['mmt'] },
  { id: 'straight_leg_raise', section: 'rom', name: 'Passive straight-leg raise', sided: true, measures: ['degrees'] },
];

const vocab: Vocabulary = { muscles, tests, vocabulary: testVocabulary };

const ev = {
  deskWork: { input: '$.lifestyle.activities[0]', observed: 'desk_work', rule: 'lifestyle.desk_work', source: 'article', supports: true },
  driving: { input: '$.lifestyle.activities[1]', observed: 'driving', rule: 'lifestyle.driving', source: 'convention', supports: true },
  sitting: { input: '$.lifestyle.sitting_hours_per_day', observed: '9 h sitting per day', expected: '< 6 h per day', rule: 'lifestyle.sitting' },
  forwardHead: { input: '$.posture.forward_head', test: 'forward_head', observed: 'present', expected: 'absent', rule: 'posture.forward_head' },
  thomasLeft: { input: '$.rom[0]', test: 'thomas_test', side: 'left', observed: 'positive', expected: 'negative', rule: 'thomas_positive' },
  hipExtStrength: { input: '$.strength[0]', test: 'hip_extension', side: 'left', observed: '4/5', expected: '5/5', rule: 'hip_extension_mmt_below_5' },
  squat: {
    input: '$.movement.overhead_squat.arms_fall_forward',
    test: 'overhead_squat',
    side: 'both',
    observed: 'Arms fall forward',
    expected: 'not seen in the overhead squat',
    rule: 'overhead_squat.arms_fall_forward',
  },
  against: { input: '$.endurance[2]', test: 'biering_sorensen', side: 'both', observed: '95 s', expected: '≥ 64 s', supports: false },
} satisfies Record<string, Evidence>;

function f(muscle: string, side: Finding['side'], state: Finding['state'], severity: Finding['severity'], confidence: number, evidence: Evidence[] = [ev.thomasLeft]): Finding {
  return { muscle, side, state, severity, confidence, evidence };
}

// The office worker's findings (examples/office-worker.json), in the engine's order.
const office: Finding[] = [
  f('pectoralis_minor', 'left', 'tight', 'severe', 0.68),
  f('iliopsoas', 'both', 'tight', 'moderate', 0.9, [ev.deskWork, ev.driving, ev.sitting, ev.thomasLeft]),
  f('hamstrings', 'both', 'tight', 'moderate', 0.8),
  f('pectoralis_minor', 'right', 'tight', 'moderate', 0.68),
  f('levator_scapulae', 'left', 'tight', 'moderate', 0.5),
  f('upper_trapezius', 'left', 'tight', 'moderate', 0.5),
  f('sternocleidomastoid', 'both', 'tight', 'mild', 0.75),
  f('suboccipitals', 'both', 'tight', 'mild', 0.75),
  f('rectus_femoris', 'both', 'tight', 'mild', 0.65),
  f('pectoralis_major', 'both', 'tight', 'mild', 0.5),
  f('middle_trapezius', 'both', 'weak', 'mild', 0.8),
  f('rhomboids', 'both', 'weak', 'mild', 0.8),
  f('hamstrings', 'both', 'weak', 'mild', 0.6, [ev.hipExtStrength]),
  f('gluteus_maximus', 'both', 'weak', 'mild', 0.52, [ev.deskWork, ev.hipExtStrength, ev.against]),
];

describe('the summary findings', () => {
  it('leads with the five lines that matter most: severity, then confidence', () => {
    const top = summaryItems(office, vocab).slice(0, 5);
    expect(top.map((i) => i.title)).toEqual(['Pectoralis minor', 'Iliopsoas', 'Hamstrings', 'Levator scapulae', 'Upper trapezius']);
    // Reversing the input changes nothing but the order of exact ties.
    const reversed = summaryItems([...office].reverse(), vocab).slice(0, 3);
    expect(reversed.map((i) => i.title)).toEqual(['Pectoralis minor', 'Iliopsoas', 'Hamstrings']);
  });

  it('ranks a more confident finding first among equal severities', () => {
    const items = summaryItems([f('rhomboids', 'both', 'weak', 'mild', 0.4), f('iliopsoas', 'both', 'tight', 'mild', 0.9), f('gluteus_medius', 'left', 'weak', 'moderate', 0.3)], vocab);
    expect(items.map((i) => i.key)).toEqual(['gluteus_medius', 'iliopsoas', 'rhomboids']);
  });

  it('gives a muscle found on both sides one line, and names the worse side', () => {
    const pec = summaryItems(office, vocab)[0];
    expect(pec.findings).toHaveLength(2);
    expect(pec.muscles[0].parts[0].worse).toBe('left');
    expect(pec.detail).toBe('Tight, left severe, right moderate: left worse');
    expect(statePart('weak', [f('gluteus_medius', 'left', 'weak', 'mild', 0.5), f('gluteus_medius', 'right', 'weak', 'mild', 0.9)]).text).toBe('weak, both sides, mild');
    expect(statePart('weak', [f('gluteus_medius', 'right', 'weak', 'mild', 0.5)]).text).toBe('weak, right only, mild');
  });

  it('folds a group finding into its own muscles found in the same state, naming the group', () => {
    const items = summaryItems(
      [
        f('hip_flexors', 'both', 'tight', 'mild', 0.45),
        f('iliopsoas', 'both', 'tight', 'moderate', 0.9),
        f('rectus_femoris', 'both', 'tight', 'mild', 0.65),
        f('hamstrings', 'both', 'tight', 'mild', 0.45),
        f('gluteus_maximus', 'both', 'weak', 'mild', 0.5),
      ],
      vocab,
    );
    expect(items.map((i) => i.title)).toEqual(['Iliopsoas and rectus femoris', 'Gluteus maximus', 'Hamstrings']);
    const hip = items[0];
    expect(hip.key).toBe('group:hip_flexors');
    expect(hip.groups.map((g) => g.name)).toEqual(['Hip flexors']);
    expect(hip.findings).toHaveLength(3);
    expect(hip.severity).toBe('moderate');
    expect(hip.detail).toBe('Iliopsoas: tight, both sides, moderate · Rectus femoris: tight, both sides, mild');
    expect(hip.notes[0]).toMatch(/^Includes the hip flexors group finding \(tight, both sides, mild\)/);
    // "Hamstrings" is a group whose own muscles have no finding: it keeps its own line.
    expect(items[2].groups).toEqual([]);
  });

  it('keeps a group finding apart from members found in the other state', () => {
    const items = summaryItems([f('hip_flexors', 'both', 'tight', 'mild', 0.45), f('iliopsoas', 'both', 'weak', 'mild', 0.5)], vocab);
    expect(items.map((i) => i.title)).toEqual(['Iliopsoas', 'Hip flexors']);
  });

  it('joins two group findings sharing a muscle into one line', () => {
    const items = summaryItems(
      [f('hip_flexors', 'both', 'tight', 'mild', 0.45), f('quadriceps', 'left', 'tight', 'mild', 0.45), f('rectus_femoris', 'left', 'tight', 'moderate', 0.7), f('vastus_medialis', 'left', 'tight', 'mild', 0.5)],
      vocab,
    );
    expect(items).toHaveLength(1);
    expect(items[0].title).toBe('Rectus femoris and vastus medialis');
    expect(items[0].groups.map((g) => g.id)).toEqual(['hip_flexors', 'quadriceps']);
    expect(items[0].notes).toHaveLength(2);
  });

  it('shows a muscle tight and weak on the same side once, with a plain explanation', () => {
    const hamstrings = summaryItems(office, vocab).find((i) => i.key === 'hamstrings')!;
    expect(hamstrings.states).toEqual(['tight', 'weak']);
    expect(hamstrings.findings).toHaveLength(2);
    expect(hamstrings.detail).toBe('Tight, both sides, moderate; weak, both sides, mild');
    expect(hamstrings.notes).toEqual(['Tight and weak: short and weak at once: stretch first, then strengthen through the range; the program does both.']);
    expect(summaryItems(office, vocab).filter((i) => i.title === 'Hamstrings')).toHaveLength(1);
  });

  it('explains tight and weak only where the sides meet', () => {
    const apart = summaryItems([f('gluteus_medius', 'left', 'tight', 'mild', 0.5), f('gluteus_medius', 'right', 'weak', 'mild', 0.5)], vocab)[0];
    expect(apart.notes).toEqual([]);
    const right = summaryItems([f('gluteus_medius', 'both', 'tight', 'mild', 0.5), f('gluteus_medius', 'right', 'weak', 'severe', 0.5)], vocab)[0];
    expect(right.notes[0]).toMatch(/^Tight and weak \(right side\): short and weak at once/);
  });

  it('keeps a tight-and-weak muscle in the summary even outside the top five', () => {
    const s = summarize({}, office, vocab, undefined, 2);
    expect(s.top.map((i) => i.key)).toEqual(['pectoralis_minor', 'iliopsoas']);
    expect(s.alsoTightAndWeak.map((i) => i.key)).toEqual(['hamstrings']);
    expect(s.more).toBe(summaryItems(office, vocab).length - 2);
  });

  it('flags lines where some evidence speaks against', () => {
    const glute = summaryItems(office, vocab).find((i) => i.key === 'gluteus_maximus')!;
    expect(glute.mixedEvidence).toBe(true);
    expect(summaryItems(office, vocab).find((i) => i.key === 'iliopsoas')!.mixedEvidence).toBe(false);
  });
});

describe('ids in words', () => {
  it('says what a lifestyle rule means instead of its id', () => {
    const w = describeEvidence(ev.deskWork, vocab);
    expect(w).toEqual({ kind: 'intake', what: 'From the intake: desk work', observed: 'Desk work', reference: expect.stringMatching(/^an intake answer/) });
    expect(evidenceLine(ev.sitting, vocab)).toBe('From the intake: 9 h sitting per day (expected < 6 h per day)');
    expect(evidenceLine(ev.driving, vocab)).toBe('From the intake: driving (long periods)');
    expect(ruleWords('lifestyle.desk_work', vocab)).toBe('From the intake: desk work');
    expect(ruleWords('posture.forward_head', vocab)).toBe('Posture: forward head');
  });

  it('names posture signs, movement screens and tests by the knowledge base', () => {
    expect(describeEvidence(ev.forwardHead, vocab).what).toBe('Posture: forward head');
    expect(describeEvidence(ev.thomasLeft, vocab).what).toBe('Modified Thomas test (left)');
    expect(describeEvidence(ev.hipExtStrength, vocab).what).toBe('Hip extension strength (left)');
    expect(describeEvidence(ev.squat, vocab).what).toBe('Overhead squat: arms fall forward (both sides)');
    expect(describeEvidence({ input: '$.movement.fms.hurdle_step', test: 'fms.hurdle_step', side: 'right', observed: 'score 1' }, vocab).what).toBe(
      'Functional Movement Screen, hurdle step (right)',
    );
    // Without the test list, ids still read as words.
    expect(describeEvidence(ev.thomasLeft, { muscles }).what).toBe('Thomas test (left)');
    expect(testLabel({}, 'hamstring_quadriceps')).toBe('Hamstring quadriceps');
    expect(testLabel(vocab, 'hamstring_quadriceps')).toBe('Hamstring to quadriceps strength ratio');
  });

  it('leaves no raw id or rule in any label', () => {
    const labels = Object.values(ev).flatMap((e) => {
      const w = describeEvidence(e, vocab);
      return [w.what, w.observed, w.reference, evidenceLine(e, vocab)];
    });
    for (const l of labels) {
      expect(l).not.toMatch(/[a-z]_[a-z]/);
      expect(l).not.toMatch(/\brule\b|lifestyle\.|posture\./);
    }
  });

  it('counts the evidence by kind', () => {
    expect(evidenceCount([ev.deskWork, ev.driving, ev.sitting, ev.thomasLeft], vocab)).toBe('1 test, 3 intake answers');
    expect(evidenceCount([ev.hipExtStrength, ev.forwardHead, ev.against], vocab)).toBe('2 tests, 1 posture sign; 1 against');
  });

  it('puts ids into words', () => {
    expect(words('desk_work')).toBe('Desk work');
    expect(words('lower_crossed_syndrome')).toBe('Lower crossed syndrome');
  });

  it('says patterns and their matched members in words', () => {
    const p = patternWords({ id: 'upper_crossed_syndrome', confidence: 0.54, matched: ['pectoralis_minor tight', 'rhomboids weak', 'forward_head'] }, vocab);
    expect(p.name).toBe('Upper crossed syndrome');
    expect(p.matched).toEqual(['Pectoralis minor tight', 'Rhomboids weak', 'Forward head']);
  });

  it('says referrals in words, the most urgent first', () => {
    const s = summarize(
      {
        referrals: [
          { reason: 'severe_pain', region: 'knee', scope: 'region', urgency: 'soon', detail: 'Pain of 7/10.' },
          { reason: 'red_flag', region: 'low_back', flag: 'bowel_bladder', scope: 'whole_program', urgency: 'emergency', detail: 'Go now.' },
        ],
      },
      [],
      vocab,
    );
    expect(s.referrals.map((r) => r.title)).toEqual(['Bowel or bladder changes (low back)', 'Severe pain (knee)']);
    expect(s.referrals[0]).toMatchObject({ urgency: 'emergency', urgencyText: 'Emergency: act now', action: 'The whole program stops: referral only.' });
    expect(s.referrals[1].action).toBe('Exercises loading the knee are left out.');
    expect(referralWords({ reason: 'screening', flag: 'pregnant', urgency: 'soon' }, vocab).title).toBe('Pregnancy');
    expect(referralWords({ reason: 'red_flag_cluster', flag: 'possible_malignancy', urgency: 'urgent' }, vocab).title).toBe('Possible serious pathology (malignancy)');
  });
});

describe('asymmetries in words', () => {
  const intake = {
    endurance: [
      { test: 'trunk_flexor', seconds: 60 },
      { test: 'side_plank', side: 'left', seconds: 20 },
      { test: 'side_plank', side: 'right', seconds: 60 },
    ],
    strength: [
      { test: 'hip_abduction', side: 'left', value: 231.3, unit: 'N' },
      { test: 'hip_abduction', side: 'right', value: 182.4, unit: 'N' },
    ],
    movement: { fms: { hurdle_step: { left: 2, right: 1 } }, y_balance: { left: { anterior: 66 }, right: { anterior: 60 } } },
  };
  const plank: Asymmetry = { measure: 'endurance.side_plank', lsi_percent: 33.3, weaker_side: 'left', difference: 40, unit: 's', inputs: ['$.endurance[1]', '$.endurance[2]'] };

  it('reads both sides from the intake and says which is weaker', () => {
    expect(asymmetryWords(plank, vocab, intake)).toBe('Side bridge (side plank) endurance: left 20 s vs right 60 s, left weaker');
    expect(asymmetryWords(plank, {}, intake)).toBe('Side plank: left 20 s vs right 60 s, left weaker');
    expect(
      asymmetryWords({ measure: 'strength.hip_abduction', lsi_percent: 78.8, weaker_side: 'right', inputs: ['$.strength[0]', '$.strength[1]'] }, vocab, intake),
    ).toBe('Hip abduction: left 231.3 N vs right 182.4 N, right weaker');
  });

  it('falls back to the symmetry index without the intake', () => {
    expect(asymmetryWords(plank, vocab)).toBe('Side bridge (side plank) endurance: left weaker: 33.3 % of the right');
  });

  it('says movement screens and range differences in words', () => {
    expect(asymmetryWords({ measure: 'movement.fms.hurdle_step', difference: 1, unit: 'points', limited_side: 'right', inputs: ['$.movement.fms.hurdle_step'] }, vocab, intake)).toBe(
      'Functional Movement Screen, hurdle step: left 2 points vs right 1 points, right more limited',
    );
    expect(asymmetryWords({ measure: 'movement.y_balance.anterior', difference_cm: 6, limited_side: 'right', inputs: ['$.movement.y_balance'] }, vocab, intake)).toBe(
      'Y-balance test, anterior reach: left 66 cm vs right 60 cm, right more limited',
    );
    expect(asymmetryWords({ measure: 'rom.shoulder_internal_rotation', difference: 24, unit: 'deg', limited_side: 'right', method: 'gird' }, vocab)).toBe(
      'Shoulder internal rotation: internal rotation deficit (GIRD) of 24° on the right',
    );
    expect(asymmetryWords({ measure: 'rom.weight_bearing_lunge', difference: 4, unit: 'cm', limited_side: 'right' }, vocab)).toBe('Weight bearing lunge: right more limited by 4 cm');
    expect(measureLabel('endurance.side_plank', vocab)).toBe('Side bridge (side plank) endurance');
  });
});

describe('notes in the full list', () => {
  it('explains the same muscle found tight and weak', () => {
    const tight = office.find((x) => x.muscle === 'hamstrings' && x.state === 'tight')!;
    expect(findingNotes(tight, office, vocab)[0]).toMatch(/^Also found weak on this side: short and weak at once/);
    expect(findingNotes(office[1], office, vocab)).toEqual([]);
  });

  it('explains a group finding beside its own muscles', () => {
    const all = [f('hip_flexors', 'both', 'tight', 'mild', 0.45), f('iliopsoas', 'both', 'tight', 'moderate', 0.9), f('rectus_femoris', 'both', 'tight', 'mild', 0.65)];
    expect(findingNotes(all[0], all, vocab)).toEqual(['A muscle group: its own muscles iliopsoas and rectus femoris are also found tight; the summary shows them as one line.']);
    expect(findingNotes(all[1], all, vocab)).toEqual(['Part of the hip flexors, also found tight as a group; the summary shows them as one line.']);
  });
});
