import { describe, expect, it } from 'vitest';
import type { Finding, MusclesDoc } from '../types';
import { describeMap, describeRegion, groupsOf, mapFindings, regionKey, worseSide } from './bodymap';

const doc: MusclesDoc = {
  groups: [
    { id: 'hip_flexors', name: 'Hip flexors', members: ['iliopsoas', 'rectus_femoris', 'tensor_fasciae_latae'] },
    { id: 'glutes', name: 'Glutes', members: ['gluteus_maximus', 'gluteus_medius', 'gluteus_minimus'] },
    { id: 'hamstrings', name: 'Hamstrings', members: ['biceps_femoris', 'medial_hamstrings'] },
    { id: 'quadriceps', name: 'Quadriceps', members: ['rectus_femoris', 'vastus_medialis', 'vastus_lateralis'] },
    { id: 'abdominals', name: 'Abdominals', members: ['rectus_abdominis', 'obliques', 'transverse_abdominis'] },
    { id: 'lower_back', name: 'Lower back', members: ['erector_spinae', 'quadratus_lumborum'] },
  ],
  muscles: [],
};

function f(muscle: string, side: Finding['side'], state: Finding['state'], severity: Finding['severity'] = 'moderate'): Finding {
  return { muscle, side, state, severity, confidence: 0.8, evidence: [] };
}

const groupName = (g: string) => doc.groups.find((x) => x.id === g)?.name ?? g;

describe('body map', () => {
  it('maps members to every group that lists them and group ids to themselves', () => {
    expect(groupsOf('iliopsoas', doc)).toEqual(['hip_flexors']);
    expect(groupsOf('rectus_femoris', doc).sort()).toEqual(['hip_flexors', 'quadriceps']);
    expect(groupsOf('hamstrings', doc)).toEqual(['hamstrings']);
    expect(groupsOf('unknown_muscle', doc)).toEqual([]);
  });

  it('fills the named side only, and both sides for "both"', () => {
    const r = mapFindings([f('gluteus_medius', 'left', 'weak'), f('hamstrings', 'both', 'tight')], doc);
    expect(r.get(regionKey('glutes', 'left'))?.fill).toBe('weak');
    expect(r.get(regionKey('glutes', 'right'))?.fill).toBe('none');
    expect(r.get(regionKey('hamstrings', 'left'))?.fill).toBe('tight');
    expect(r.get(regionKey('hamstrings', 'right'))?.fill).toBe('tight');
  });

  it('marks a region tight and weak when two findings disagree', () => {
    const r = mapFindings([f('gluteus_medius', 'right', 'tight'), f('gluteus_maximus', 'both', 'weak')], doc);
    const right = r.get(regionKey('glutes', 'right'));
    expect(right?.fill).toBe('both');
    expect(right?.tight).toHaveLength(1);
    expect(right?.weak).toHaveLength(1);
    expect(r.get(regionKey('glutes', 'left'))?.fill).toBe('weak');
  });

  it('puts a muscle in several groups on each of them', () => {
    const r = mapFindings([f('rectus_femoris', 'left', 'tight')], doc);
    expect(r.get(regionKey('hip_flexors', 'left'))?.fill).toBe('tight');
    expect(r.get(regionKey('quadriceps', 'left'))?.fill).toBe('tight');
    expect(r.get(regionKey('quadriceps', 'right'))?.fill).toBe('none');
  });

  it('draws midline groups once, whatever side a finding names', () => {
    const r = mapFindings([f('rectus_abdominis', 'both', 'weak'), f('quadratus_lumborum', 'left', 'tight')], doc);
    expect(r.has(regionKey('abdominals', 'left'))).toBe(false);
    expect(r.get(regionKey('abdominals', 'mid'))?.fill).toBe('weak');
    expect(r.get(regionKey('lower_back', 'mid'))?.fill).toBe('tight');
  });

  it('describes a region in words, so colour is not the only cue', () => {
    const r = mapFindings([f('gluteus_medius', 'left', 'weak')], doc);
    const text = describeRegion(r.get(regionKey('glutes', 'left'))!, 'Glutes', (id) => id.replace('_', ' '));
    expect(text).toBe('Glutes, left: weak (gluteus medius weak, moderate)');
  });

  it('keeps the worst severity of each region', () => {
    const r = mapFindings([f('gluteus_medius', 'left', 'weak', 'mild'), f('gluteus_maximus', 'left', 'weak', 'severe'), f('hamstrings', 'right', 'tight', 'mild')], doc);
    expect(r.get(regionKey('glutes', 'left'))?.severity).toBe(3);
    expect(r.get(regionKey('glutes', 'right'))?.severity).toBe(0);
    expect(r.get(regionKey('hamstrings', 'right'))?.severity).toBe(1);
  });

  it('names the worse side only where both sides have findings of different severity', () => {
    const r = mapFindings(
      [
        f('gluteus_medius', 'right', 'weak', 'moderate'),
        f('gluteus_maximus', 'left', 'weak', 'mild'),
        f('hamstrings', 'both', 'tight', 'mild'),
        f('iliopsoas', 'left', 'tight', 'severe'),
        f('rectus_abdominis', 'both', 'weak', 'severe'),
      ],
      doc,
    );
    expect(worseSide(r, 'glutes')).toBe('right');
    expect(worseSide(r, 'hamstrings')).toBeNull();
    expect(worseSide(r, 'hip_flexors')).toBeNull();
    expect(worseSide(r, 'abdominals')).toBeNull();
    const text = describeRegion(r.get(regionKey('glutes', 'right'))!, 'Glutes', (id) => id, true);
    expect(text).toBe('Glutes, right: weak (gluteus_medius weak, moderate); the worse side');
  });

  it('describes the whole map in words: state, severity and the worse side per group', () => {
    const r = mapFindings(
      [
        f('gluteus_medius', 'right', 'weak', 'moderate'),
        f('gluteus_maximus', 'left', 'weak', 'mild'),
        f('hamstrings', 'both', 'tight', 'mild'),
        f('iliopsoas', 'left', 'tight', 'severe'),
        f('rectus_abdominis', 'both', 'weak', 'severe'),
        f('erector_spinae', 'both', 'tight', 'mild'),
        f('erector_spinae', 'both', 'weak', 'mild'),
      ],
      doc,
    );
    expect(describeMap(r, groupName)).toEqual([
      'Hip flexors: tight, left only, severe',
      'Glutes: weak, right moderate, left mild: right worse',
      'Hamstrings: tight, both sides, mild',
      'Abdominals: weak, severe',
      'Lower back: tight and weak, mild',
    ]);
  });
});
