import { describe, expect, it } from 'vitest';
import strength from '../../../data/tests/strength.json';
import endurance from '../../../data/tests/endurance.json';
import rom from '../../../data/tests/rom.json';
import {
  BUILT_IN_SETS,
  PrefsStore,
  allSets,
  findSet,
  listOwnSets,
  migrateLocalSets,
  migrateOnce,
  saveOwnSet,
  setsOfTemplates,
  templateRequest,
  testOfPath,
  visibleTests,
  withSet,
  withoutSet,
  type TemplateClient,
  type TestSet,
} from './testsets';

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
  const desk = findSet([], 'desk_worker')!.tests;
  it('only the set\'s, unless all are asked for, and never hides a test with a value', () => {
    const none = () => false;
    expect(visibleTests(all, 'rom', desk, false, none).map((t) => t.id)).toEqual(['hip_extension', 'cervical_rotation', 'straight_leg_raise', 'thomas_test', 'pectoralis_minor_length']);
    expect(visibleTests(all, 'rom', desk, true, none)).toHaveLength(rom.tests.length);
    expect(visibleTests(all, 'rom', null, false, none)).toHaveLength(rom.tests.length);
    const withKnee = visibleTests(all, 'rom', desk, false, (k) => k === 'rom.knee_flexion').map((t) => t.id);
    expect(withKnee).toContain('knee_flexion');
  });
});

/** A fake of the server's templates: POST checks tests as the server does. */
function fakeServer(known: Set<string>, initial: { id: string; name: string; tests: string[] }[] = []) {
  let n = 0;
  const templates = initial.map((t) => ({ id: t.id, kind: 'test_set', name: t.name, body: { tests: t.tests }, created_at: 1 }));
  const calls: string[] = [];
  let failPost: unknown = null;
  const client: TemplateClient = {
    async get<T>(path: string) {
      calls.push(`GET ${path}`);
      return { templates: templates.filter((t) => path.endsWith('kind=test_set') ? t.kind === 'test_set' : true) } as T;
    },
    async post<T>(path: string, body?: unknown) {
      const b = body as { kind: string; name: string; tests: string[] };
      calls.push(`POST ${path} ${b.name}`);
      if (failPost) throw failPost;
      b.tests.forEach((k, i) => {
        if (!known.has(k) || b.tests.indexOf(k) !== i) throw Object.assign(new Error('bad test'), { path: `$.tests[${i}]` });
      });
      const t = { id: `t_${++n}`, kind: b.kind, name: b.name, body: { tests: b.tests }, created_at: 2 };
      templates.push(t);
      return t as T;
    },
    async del<T>(path: string) {
      calls.push(`DELETE ${path}`);
      const i = templates.findIndex((t) => path.endsWith('/' + t.id));
      if (i < 0) throw new Error('404');
      templates.splice(i, 1);
      return { deleted: path } as T;
    },
  };
  return { client, templates, calls, failNext: (e: unknown) => (failPost = e) };
}

describe('own sets on the server', () => {
  it('are read from the test-set templates, by name, ignoring anything else', () => {
    const sets = setsOfTemplates([
      { id: 't_2', kind: 'test_set', name: 'Knees', body: { tests: ['rom.knee_flexion', 3] } },
      { id: 't_1', kind: 'test_set', name: 'Ankles', body: { tests: ['rom.ankle_dorsiflexion'] } },
      { id: 't_3', kind: 'program', name: 'A program', body: { days: [] } },
      { id: 4, kind: 'test_set', name: 'broken' },
      null,
    ]);
    expect(sets).toEqual([
      { id: 't_1', name: 'Ankles', tests: ['rom.ankle_dorsiflexion'] },
      { id: 't_2', name: 'Knees', tests: ['rom.knee_flexion'] },
    ]);
    expect(setsOfTemplates(undefined)).toEqual([]);
    expect(allSets(sets)).toHaveLength(BUILT_IN_SETS.length + 2);
    expect(findSet(sets, 't_2')?.name).toBe('Knees');
  });
  it('are sent as the server wants them: trimmed name, each test once, only known tests', () => {
    expect(templateRequest(' My knees ', ['rom.knee_flexion', 'rom.knee_flexion', 'rom.gone', 'strength.knee_extension'], kbKeys)).toEqual({
      kind: 'test_set',
      name: 'My knees',
      tests: ['rom.knee_flexion', 'strength.knee_extension'],
    });
    expect(templateRequest('x'.repeat(100), []).name).toHaveLength(80);
    expect(testOfPath('$.tests[1]', ['a', 'b'])).toBe('b');
    expect(testOfPath('$.name', ['a'])).toBeUndefined();
  });
  it('are replaced by name and removed', () => {
    const a: TestSet = { id: 't_1', name: 'Knees', tests: [] };
    const b: TestSet = { id: 't_2', name: ' knees', tests: ['rom.knee_flexion'] };
    expect(withSet([a], b)).toEqual([b]);
    expect(withoutSet([a, b], 't_1')).toEqual([b]);
  });
  it('save with POST, then delete the older set of the same name', async () => {
    const s = fakeServer(kbKeys, [{ id: 't_old', name: 'Knees', tests: ['rom.knee_flexion'] }]);
    const own = await listOwnSets(s.client);
    const r = await saveOwnSet(s.client, own, templateRequest('knees', ['strength.knee_extension']));
    expect(r.set).toEqual({ id: 't_1', name: 'knees', tests: ['strength.knee_extension'] });
    expect(r.sets).toEqual([r.set]);
    expect(s.calls).toEqual(['GET /api/v1/templates?kind=test_set', 'POST /api/v1/templates knees', 'DELETE /api/v1/templates/t_old']);
    expect(await listOwnSets(s.client)).toEqual([r.set]);
  });
});

describe('sets kept in this browser by an older version', () => {
  it('are moved to the server once and removed here; the choices stay', async () => {
    const storage = memory();
    const store = new PrefsStore(storage);
    store.save('u1', {
      sets: [
        { id: 'own_my_knees', name: 'My knees', tests: ['rom.knee_flexion', 'rom.no_such_test', 'strength.knee_extension'] },
        { id: 'own_empty', name: 'Empty', tests: ['rom.no_such_test'] },
      ],
      lastSet: 'own_my_knees',
      units: { strength: 'mmt' },
    });
    const s = fakeServer(kbKeys);
    const m = await migrateLocalSets(s.client, store, 'u1', await listOwnSets(s.client), kbKeys);
    expect(m.sets).toEqual([{ id: 't_1', name: 'My knees', tests: ['rom.knee_flexion', 'strength.knee_extension'] }]);
    expect(m.moved).toEqual({ own_my_knees: 't_1' });
    expect(m.kept).toEqual([]);
    expect(store.load('u1')).toEqual({ sets: [], lastSet: 't_1', units: { strength: 'mmt' } });
    // Nothing left to move: a second run posts nothing.
    const again = await migrateLocalSets(s.client, store, 'u1', m.sets, kbKeys);
    expect(again.sets).toEqual(m.sets);
    expect(s.calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });
  it('are not posted twice, and a name the server holds with other tests is kept apart', async () => {
    const store = new PrefsStore(memory());
    store.save('u1', {
      sets: [
        { id: 'own_a', name: 'A', tests: ['rom.knee_flexion'] },
        { id: 'own_b', name: 'B', tests: ['rom.knee_flexion'] },
      ],
    });
    const s = fakeServer(kbKeys, [
      { id: 't_a', name: 'a', tests: ['rom.knee_flexion'] },
      { id: 't_b', name: 'B', tests: ['strength.knee_extension'] },
    ]);
    const server = await listOwnSets(s.client);
    const [m1, m2] = await Promise.all([migrateOnce(s.client, store, 'u1', server, kbKeys), migrateOnce(s.client, store, 'u1', server, kbKeys)]);
    expect(m1).toBe(m2);
    expect(m1.moved).toEqual({ own_a: 't_a', own_b: 't_1' });
    expect(m1.sets.map((x) => x.name)).toEqual(['a', 'B', 'B (this device)']);
    expect(s.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /api/v1/templates B (this device)']);
  });
  it('stay here when the server cannot take them, to be tried again', async () => {
    const store = new PrefsStore(memory());
    const local = { id: 'own_a', name: 'A', tests: ['rom.knee_flexion'] };
    store.save('u1', { sets: [local], lastSet: 'own_a' });
    const s = fakeServer(kbKeys);
    const offline = new Error('Cannot reach the Rebalance server.');
    s.failNext(offline);
    const m = await migrateLocalSets(s.client, store, 'u1', [], kbKeys);
    expect(m.kept).toEqual([local]);
    expect(m.error).toBe(offline);
    expect(store.load('u1')).toEqual({ sets: [local], lastSet: 'own_a', units: undefined });
  });
  it('are kept when only the choices are saved', () => {
    const store = new PrefsStore(memory());
    const local = { id: 'own_a', name: 'A', tests: ['rom.knee_flexion'] };
    store.save('u1', { sets: [local] });
    expect(store.saveChoices('u1', { lastSet: 'desk_worker', units: { length: 'in' } })).toBe(true);
    expect(store.load('u1')).toEqual({ sets: [local], lastSet: 'desk_worker', units: { length: 'in' } });
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
