import { describe, expect, it } from 'vitest';
import type { TestDef } from '../types';
import endurance from '../../../data/tests/endurance.json';
import rom from '../../../data/tests/rom.json';
import { clientFacts, cutFor, referencesFor, roundForDisplay } from './reference';

// The knowledge base itself (what the engine loads), read the way the API
// would send it with the full limit: `below`/`above` as written in data/.
const kb = [...(endurance.tests as unknown as TestDef[]), ...(rom.tests as unknown as TestDef[])];
const kbTest = (section: string, id: string) => kb.find((t) => t.section === section && t.id === id)!;

describe('the reference shown is the one judged', () => {
  it('Biering-Sorensen: the band for the client\'s age and sex (issue 13: 161 s shown, 185 s judged)', () => {
    const t = kbTest('endurance', 'biering_sorensen');
    const man41 = referencesFor(t, clientFacts('41', 'male'));
    expect(man41).toHaveLength(1);
    expect(man41[0].value).toBe(72);
    expect(man41[0].text).toBe('≥ 72 s');
    expect(man41[0].label).toBe('men 21-60: 25th percentile');
    expect(referencesFor(t, clientFacts('41', 'female'))[0].value).toBe(64);
    // Outside the bands: by sex; sex not given: the adult-wide value.
    expect(referencesFor(t, clientFacts('70', 'male'))[0]).toMatchObject({ value: 72, label: '' });
    expect(referencesFor(t, clientFacts('41', ''))[0].value).toBe(64);
    expect(referencesFor(t, clientFacts('', 'male'))[0].value).toBe(72);
  });

  it('hip extension range: the rule\'s limit (0°), not the typical range (issue 13: 15 shown, 0 judged)', () => {
    const t = kbTest('rom', 'hip_extension');
    const refs = referencesFor(t, clientFacts('44', 'female'));
    expect(refs.map((r) => [r.value, r.text])).toEqual([[0, '≥ 0°']]);
    expect(t.normal?.degrees?.min).not.toBe(0); // the typical range differs; it is not shown
  });

  it('tests without a rule for the measure are not judged against a limit', () => {
    expect(referencesFor(kbTest('rom', 'hip_internal_rotation'), {})).toEqual([]);
  });

  it('results are expected as the rule says', () => {
    const refs = referencesFor(kbTest('rom', 'thomas_test'), {});
    expect(refs.find((r) => r.measure === 'result')?.text).toBe('negative');
    expect(refs.find((r) => r.measure === 'degrees')?.text).toBe('≤ 0°');
  });

  it('picks the rule for the protocol position, the default one when none is chosen', () => {
    const t = kbTest('rom', 'shoulder_external_rotation');
    expect(referencesFor(t, clientFacts('30', 'female')).map((r) => r.value)).toEqual([84.7]);
    expect(referencesFor(t, clientFacts('30', 'female'), { position: 'abduction_0' }).map((r) => r.text)).toEqual(['≥ 60°']);
  });

  it('side bridge: the same limit for everyone', () => {
    const t = kbTest('endurance', 'side_plank');
    expect(referencesFor(t, clientFacts('44', '')).map((r) => r.text)).toEqual(['≥ 27 s']);
  });

  it('distances in the unit chosen, strength grades and forces', () => {
    const t = kbTest('rom', 'pectoralis_minor_length');
    expect(referencesFor(t, {})[0].text).toBe('≤ 2.5 cm');
    expect(referencesFor(t, {}, { unit: 'in' })[0].text).toBe('≤ 1 in');
    const s: TestDef = { id: 'hip_extension', section: 'strength', name: 'Hip ext', sided: true, measures: ['force', 'mmt'], rules: [{ id: 'x', measure: 'mmt', below: 5 }] };
    expect(referencesFor(s, {}, { unit: 'mmt' }).map((r) => r.text)).toEqual(['≥ grade 5']);
    expect(referencesFor(s, {}, { unit: 'N' })).toEqual([]);
  });
});

describe('limits and rounding', () => {
  it('cutFor follows Threshold::for_client', () => {
    const th = { by_sex: { default: 15.7, female: 15.7, male: 18.8 }, bands: [{ age_min: 20, age_max: 80, sex: 'male' as const, value: 19, label: 'men 20-80' }] };
    expect(cutFor(th, { sex: 'male', age: 30 })).toEqual({ value: 19, label: 'men 20-80' });
    expect(cutFor(th, { sex: 'male', age: 90 })).toEqual({ value: 18.8, label: '' });
    expect(cutFor(th, { sex: 'other', age: 30 })).toEqual({ value: 15.7, label: '' });
    expect(cutFor(5, { sex: 'male' })).toEqual({ value: 5, label: '' });
    expect(cutFor({ value: 3, bands: [{ value: 2, label: 'all' }] }, {})).toEqual({ value: 2, label: 'all' });
  });
  it('shows clinically meaningful precision (issue 13: 37.9, 29.4 s, 156.9 N)', () => {
    expect(roundForDisplay(37.9, '°')).toBe('38°');
    expect(roundForDisplay(29.4, 's')).toBe('29 s');
    expect(roundForDisplay(156.9, 'N')).toBe('155 N');
    expect(roundForDisplay(16, 'kg')).toBe('16 kg');
    expect(roundForDisplay(15.99, 'kg')).toBe('16 kg');
    expect(roundForDisplay(7.3, 'cm')).toBe('7.5 cm');
    expect(roundForDisplay(4.5, 'grade')).toBe('grade 4.5');
  });
  it('reads the age as the engine does: whole years only', () => {
    expect(clientFacts(' 41 ', 'female')).toEqual({ sex: 'female', age: 41 });
    expect(clientFacts('41.5', '')).toEqual({ sex: undefined, age: undefined });
  });
});
