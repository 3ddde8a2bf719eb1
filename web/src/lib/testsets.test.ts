import { describe, expect, it } from 'vitest';
import strength from '../../../data/tests/strength.json';
import endurance from '../../../data/tests/endurance.json';
import rom from '../../../data/tests/rom.json';
import { BUILT_IN_SETS, PrefsStore, allSets, findSet, slug, visibleTests, withSavedSet, withoutSet } from './testsets';

const kbKeys = new Set([...rom.tests, ...strength.tests, ...endurance.tests].map((t) => `${t.section}.${t.id}`));
const all = [...rom.tests, ...strength.tests, ...endurance.tests].map((t) => ({ section: t.section, id: t.id }));

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('built-in test sets', () => {
  it('name only tests the knowledge base has', () => {
    expect(BUILT_IN_SETS.map((s) => s.id)).toEqual(['desk_worker', 'runner', 'overhead_athlete', 'older_adult', 'quick_screen']);
    for (const s of BUILT_IN_SETS) for (const k of s.tests) expect(kbKeys.has(k), `${s.id}: ${k}`).toBe(true);
  });
  it('the desk worker set has the tests the end-to-end run enters', () => {
    const desk = BUILT_IN_SETS[0].tests;
    for (const k of ['rom.thomas_test', 'rom.straight_leg_raise', 'endurance.side_plank']) expect(desk).toContain(k);
  });
});

describe('which tests show', () => {
  const desk = findSet({ sets: [] }, 'desk_worker')!.tests;
  it('only the set\'s, unless all are asked for, and never hides a test with a value', () => {
    const none = () => false;
    expect(visibleTests(all, 'rom', desk, false, none).map((t) => t.id)).toEqual(['hip_extension', 'cervical_rotation', 'straight_leg_raise', 'thomas_test', 'pectoralis_minor_length']);
    expect(visibleTests(all, 'rom', desk, true, none)).toHaveLength(rom.tests.length);
    expect(visibleTests(all, 'rom', null, false, none)).toHaveLength(rom.tests.length);
    const withKnee = visibleTests(all, 'rom', desk, false, (k) => k === 'rom.knee_flexion').map((t) => t.id);
    expect(withKnee).toContain('knee_flexion');
  });
});

describe('own sets', () => {
  it('are saved per practitioner, replaced by name and removed', () => {
    const storage = memory();
    const store = new PrefsStore(storage);
    const { prefs, set } = withSavedSet(store.load('u1'), 'My knees ', ['rom.knee_flexion', 'rom.knee_flexion', 'strength.knee_extension']);
    expect(set).toEqual({ id: 'own_my_knees', name: 'My knees', tests: ['rom.knee_flexion', 'strength.knee_extension'] });
    expect(store.save('u1', prefs)).toBe(true);
    expect(store.load('u1').sets).toEqual([set]);
    expect(store.load('u1').lastSet).toBe('own_my_knees');
    expect(store.load('u2').sets).toEqual([]);
    const again = withSavedSet(store.load('u1'), 'my knees', ['rom.knee_flexion']).prefs;
    expect(again.sets).toHaveLength(1);
    expect(allSets(again)).toHaveLength(BUILT_IN_SETS.length + 1);
    expect(withoutSet(again, 'own_my_knees')).toEqual({ sets: [], lastSet: undefined });
    expect(slug('Ärm & Schulter')).toBe('own_arm_schulter');
  });
  it('survive a damaged entry', () => {
    const storage = memory();
    storage.setItem('rebalance.prefs.u1', '{not json');
    expect(new PrefsStore(storage).load('u1')).toEqual({ sets: [] });
    storage.setItem('rebalance.prefs.u1', JSON.stringify({ sets: [{ id: 1 }, { id: 'a', name: 'A', tests: [] }] }));
    expect(new PrefsStore(storage).load('u1').sets).toEqual([{ id: 'a', name: 'A', tests: [] }]);
    expect(new PrefsStore(null).save('u1', { sets: [] })).toBe(false);
  });
});
