import { describe, expect, it } from 'vitest';
import type { Exercise, MusclesDoc } from '../types';
import { emptyQuery, equipmentList, searchExercises, targetedMuscles } from './library';

function ex(id: string, name: string, phase: Exercise['phase'], primary: string[], equipment: string[] = []): Exercise {
  return { id, name, phase, targets: { primary, secondary: [] }, equipment, instructions: [], cues: [], dose: {} };
}

const muscles: MusclesDoc = {
  groups: [],
  muscles: [
    { id: 'gluteus_maximus', name: 'Gluteus maximus', groups: [] },
    { id: 'iliopsoas', name: 'Iliopsoas', groups: [] },
    { id: 'lower_trapezius', name: 'Lower trapezius', groups: [] },
  ],
};

const all = [
  ex('glute_bridge', 'Glute bridge', 'strengthen', ['gluteus_maximus']),
  ex('hip_flexor_stretch', 'Kneeling hip flexor stretch', 'stretch', ['iliopsoas']),
  ex('goblet_squat', 'Goblet squat', 'functional', ['gluteus_maximus'], ['dumbbell']),
  ex('prone_y_raise', 'Prone Y raise', 'strengthen', ['lower_trapezius']),
];

const ids = (q: Partial<typeof emptyQuery>) => searchExercises(all, { ...emptyQuery, ...q }, muscles).map((e) => e.id);

describe('exercise library search', () => {
  it('finds by the start of any word of the name or a target muscle', () => {
    expect(ids({ text: 'glut' })).toEqual(['glute_bridge', 'goblet_squat']);
    expect(ids({ text: 'hip stretch' })).toEqual(['hip_flexor_stretch']);
    expect(ids({ text: 'iliopsoas' })).toEqual(['hip_flexor_stretch']);
    expect(ids({ text: 'trapezius' })).toEqual(['prone_y_raise']);
    expect(ids({ text: 'nothing like this' })).toEqual([]);
  });
  it('filters by phase, muscle and equipment together', () => {
    expect(ids({ phase: 'strengthen' })).toEqual(['glute_bridge', 'prone_y_raise']);
    expect(ids({ muscle: 'gluteus_maximus', equipment: 'none' })).toEqual(['glute_bridge']);
    expect(ids({ equipment: 'dumbbell' })).toEqual(['goblet_squat']);
    expect(ids({ muscle: 'gluteus_maximus', phase: 'functional', text: 'squat' })).toEqual(['goblet_squat']);
  });
  it('offers only muscles and equipment that some exercise uses', () => {
    expect(targetedMuscles(all, muscles).map((m) => m.id)).toEqual(['gluteus_maximus', 'iliopsoas', 'lower_trapezius']);
    expect(equipmentList(all)).toEqual(['dumbbell']);
    expect(targetedMuscles([all[0]], muscles).map((m) => m.id)).toEqual(['gluteus_maximus']);
  });
});
