import { describe, expect, it } from 'vitest';
import type { TestDef } from '../types';
import { buildIntake, completeForm, emptyForm, fieldOfPath, intakePreferences, mmtGrade, stepOfField, unitOf, type WizardForm } from './intake';
import { testVocabulary } from './test-vocabulary';

const tests: TestDef[] = [
  { id: 'thomas_test', section: 'rom', name: 'Thomas', sided: true, measures: ['degrees', 'result'] },
  { id: 'weight_bearing_lunge', section: 'rom', name: 'Lunge', sided: true, measures: ['cm'] },
  { id: 'hip_abduction', section: 'strength', name: 'Hip abduction', sided: true, measures: ['force', 'mmt', 'torque'], methods: ['handheld', 'mmt'] },
  { id: 'biering_sorensen', section: 'endurance', name: 'Sorensen', sided: false, measures: ['seconds'] },
];

describe('intake building', () => {
  it('builds sided entries, converts inches and pounds, maps paths back to fields', () => {
    const form = emptyForm('2026-11-25');
    form.client.age = '41';
    form.client.mass = '154';
    form.client.mass_unit = 'lb';
    form.tests['rom.thomas_test'] = { values: { result: { left: 'positive' }, degrees: { left: '12', right: '' } } };
    form.tests['rom.weight_bearing_lunge'] = { values: { cm: { left: '4', right: '3' } }, unit: 'in' };
    form.tests['strength.hip_abduction'] = { values: { value: { left: '52', right: '41' } }, unit: 'lb', method: 'handheld' };
    form.tests['endurance.biering_sorensen'] = { values: { seconds: { both: '90' } } };
    const { intake, fields } = buildIntake(form, tests, testVocabulary, 'A. Client');
    expect(intake.client).toEqual({ name: 'A. Client', age: 41, mass_kg: 69.85 });
    expect(intake.rom).toEqual([
      { test: 'thomas_test', side: 'left', result: 'positive', degrees: 12 },
      { test: 'weight_bearing_lunge', side: 'left', cm: 10.16 },
      { test: 'weight_bearing_lunge', side: 'right', cm: 7.62 },
    ]);
    expect(intake.strength).toEqual([
      { test: 'hip_abduction', side: 'left', value: 52, unit: 'lb', method: 'handheld' },
      { test: 'hip_abduction', side: 'right', value: 41, unit: 'lb', method: 'handheld' },
    ]);
    expect(intake.endurance).toEqual([{ test: 'biering_sorensen', seconds: 90 }]);
    expect(fieldOfPath('$.rom[2].cm', fields)).toBe('rom.weight_bearing_lunge.right.cm');
    expect(fieldOfPath('$.strength[1].value', fields)).toBe('strength.hip_abduction.right.value');
    expect(fieldOfPath('$.client.mass_kg', fields)).toBe('client.mass');
    expect(fieldOfPath('$.client.age', fields)).toBe('client.age');
    expect(fieldOfPath('$.movement.fms.hurdle_step.left', fields)).toBe('movement.fms.hurdle_step.left');
    expect(stepOfField('strength.hip_abduction.right.value')).toBe('strength');
    expect(stepOfField('client.age')).toBe('client');
  });

  it('sends text it cannot read as typed, and omits method for manual muscle tests', () => {
    const form = emptyForm('2026-11-25');
    form.client.age = 'abc';
    form.tests['strength.hip_abduction'] = { values: { value: { left: '4.5' } }, unit: 'mmt', method: 'handheld' };
    form.pain = [{ region: 'knee', side: 'right', intensity: '4', red_flags: [] }];
    const { intake, fields } = buildIntake(form, tests, testVocabulary, '');
    expect((intake.client as Record<string, unknown>).age).toBe('abc');
    expect(intake.strength).toEqual([{ test: 'hip_abduction', side: 'left', value: 4.5, unit: 'mmt' }]);
    expect(intake.pain).toEqual([{ region: 'knee', side: 'right', intensity: 4 }]);
    expect(fieldOfPath('$.pain[0].intensity', fields)).toBe('pain.0.intensity');
  });

  it('sends a screening item with the values it asks for, and nothing for an item not ticked', () => {
    const form = emptyForm('2026-11-25');
    form.screening = { recent_surgery: true, surgery_region: 'knee', pregnant: false };
    expect(buildIntake(form, tests, testVocabulary, '').intake.screening).toEqual({ recent_surgery: true, surgery_region: 'knee' });
    form.screening.recent_surgery = false;
    expect(buildIntake(form, tests, testVocabulary, '').intake.screening).toBeUndefined();
  });

  it('sends posture observations, measures and the sides they name', () => {
    const form = emptyForm('2026-11-25');
    form.posture = { flags: ['forward_head'], numbers: { shoulder_height_diff_cm: '2' }, sides: { higher_shoulder: 'left', higher_hip: '' } };
    expect(buildIntake(form, tests, testVocabulary, '').intake.posture).toEqual({ forward_head: true, shoulder_height_diff_cm: 2, higher_shoulder: 'left' });
  });

  it('keeps the posture sides of a draft saved before they were kept by key', () => {
    const old = emptyForm('2026-11-25');
    (old as unknown as { posture: object }).posture = { flags: [], numbers: {}, higher_shoulder: 'right', higher_hip: '' };
    expect(completeForm(old).posture).toEqual({ flags: [], numbers: {}, sides: { higher_shoulder: 'right' } });
  });

  it('writes movement screens in the contract form', () => {
    const form = emptyForm('2026-11-25');
    form.movement.overhead_squat = { knees_move_inward: ['left'], low_back_arches: ['both'], heels_rise: [] };
    form.movement.single_leg_squat = { pelvic_drop: ['left', 'right'] };
    form.movement.fms = { deep_squat: '2', hurdle_step: { left: '2', right: '1' }, inline_lunge: { left: '', right: '' } };
    form.movement.clearing = ['shoulder_clearing'];
    const { intake } = buildIntake(form, tests, testVocabulary, '');
    expect(intake.movement).toEqual({
      overhead_squat: { knees_move_inward: ['left'], low_back_arches: true },
      single_leg_squat: { pelvic_drop: ['left', 'right'] },
      fms: { deep_squat: 2, hurdle_step: { left: 2, right: 1 }, shoulder_clearing: true },
    });
  });
});

describe('manual muscle test grades', () => {
  it('reads clinical notation into the intake\'s half steps', () => {
    expect(mmtGrade('4+')).toBe(4.5);
    expect(mmtGrade(' 4 - ')).toBe(3.5);
    expect(mmtGrade('5')).toBe(5);
    expect(mmtGrade('4,5')).toBe(4.5);
    expect(mmtGrade('')).toBeUndefined();
  });
  it('leaves what is not a grade as typed, for the validator to report', () => {
    expect(mmtGrade('5+')).toBe('5+');
    expect(mmtGrade('0-')).toBe('0-');
    expect(mmtGrade('good')).toBe('good');
  });
});

describe('intake preferences for the program form', () => {
  it('reads the numbers the intake asked for and nothing else', () => {
    expect(intakePreferences({ preferences: { days_per_week: 4, minutes_per_session: 30, equipment: ['mat'] } })).toEqual({ days_per_week: 4, minutes_per_session: 30 });
    expect(intakePreferences({ preferences: { weeks: '8' } })).toEqual({});
    expect(intakePreferences(null)).toEqual({});
    expect(intakePreferences({ preferences: [] })).toEqual({});
  });
});

describe('one unit per section', () => {
  it('records every test in the section\'s unit unless the test chose its own, and reads restored drafts', () => {
    const form = emptyForm('2026-11-25', { units: { strength: 'mmt', length: 'in' } });
    const grip: TestDef = { id: 'grip', section: 'strength', name: 'Grip', sided: true, measures: ['force'], methods: ['handheld'] };
    form.tests['strength.hip_abduction'] = { values: { value: { left: '4+', right: '5' } } };
    form.tests['strength.grip'] = { values: { value: { left: '30' } } };
    form.tests['rom.weight_bearing_lunge'] = { values: { cm: { left: '4', right: '10' } }, unit: 'cm' };
    const { intake } = buildIntake(form, [...tests, grip], testVocabulary, '');
    expect(intake.strength).toEqual([
      { test: 'hip_abduction', side: 'left', value: 4.5, unit: 'mmt' },
      { test: 'hip_abduction', side: 'right', value: 5, unit: 'mmt' },
      { test: 'grip', side: 'left', value: 30, unit: 'N' }, // grip has no grade: its own first unit
    ]);
    expect(intake.rom).toEqual([
      { test: 'weight_bearing_lunge', side: 'left', cm: 4 },
      { test: 'weight_bearing_lunge', side: 'right', cm: 10 },
    ]);
    form.tests['rom.weight_bearing_lunge'].unit = undefined;
    expect(buildIntake(form, tests, testVocabulary, '').intake.rom).toEqual([
      { test: 'weight_bearing_lunge', side: 'left', cm: 10.16 },
      { test: 'weight_bearing_lunge', side: 'right', cm: 25.4 },
    ]);
    form.units.strength = 'Nm';
    form.tests['strength.hip_abduction'] = { values: { value: { left: '80' } } };
    expect(buildIntake(form, tests, testVocabulary, '').intake.strength).toEqual([{ test: 'hip_abduction', side: 'left', value: 80, unit: 'Nm' }]);
    const old = emptyForm('2026-11-25') as Partial<WizardForm>;
    delete old.units;
    delete old.selection;
    const restored = completeForm(old as WizardForm);
    expect(restored.units).toEqual({ strength: 'N', length: 'cm' });
    expect(restored.selection).toBeNull();
    expect(unitOf(tests[2], undefined, restored.units)).toBe('N');
  });
});
