// Contract vocabulary (contract section 2; names from the knowledge base's
// data files) used to build the wizard's inputs.

export const ACTIVITIES = [
  ['desk_work', 'Desk work'],
  ['driving', 'Driving (long periods)'],
  ['running', 'Running'],
  ['cycling', 'Cycling'],
  ['overhead_sport', 'Overhead sport (throwing, volleyball, handball)'],
  ['racket_sport', 'Racket sport (tennis, badminton, squash)'],
  ['swimming', 'Swimming'],
  ['manual_labor', 'Manual labour (lifting, bending)'],
  ['weightlifting', 'Weightlifting / resistance training'],
  ['carrying_child', 'Carrying a small child'],
] as const;

export const EQUIPMENT = [
  ['mat', 'Mat'],
  ['band', 'Resistance band'],
  ['dumbbell', 'Dumbbell'],
  ['kettlebell', 'Kettlebell'],
  ['barbell', 'Barbell'],
  ['cable', 'Cable machine'],
  ['foam_roller', 'Foam roller'],
  ['bench', 'Bench'],
  ['wall', 'Wall'],
  ['chair', 'Chair'],
] as const;

export const REGIONS = [
  ['neck', 'Neck', false],
  ['upper_back', 'Upper back', false],
  ['low_back', 'Low back', false],
  ['shoulder', 'Shoulder', true],
  ['elbow', 'Elbow', true],
  ['wrist', 'Wrist', true],
  ['hip', 'Hip', true],
  ['knee', 'Knee', true],
  ['ankle', 'Ankle', true],
  ['foot', 'Foot', true],
] as const;

export function regionName(id: string): string {
  return REGIONS.find((r) => r[0] === id)?.[1] ?? id;
}

/** Red flags; systemic ones stop the whole program (data/safety.json). */
export const RED_FLAGS = [
  ['numbness', 'Numbness or tingling', false],
  ['weakness_spreading', 'Spreading weakness', true],
  ['bowel_bladder', 'Bowel or bladder changes', true],
  ['saddle_anesthesia', 'Numbness in the saddle area', true],
  ['night_pain', 'Pain at night or at rest', false],
  ['unexplained_weight_loss', 'Unexplained weight loss', true],
  ['recent_trauma', 'Recent fall or injury', false],
  ['fever', 'Fever', true],
  ['chest_pain', 'Chest pain', true],
  ['fainting', 'Fainting or dizziness', true],
  ['cancer_history', 'History of cancer', true],
] as const;

export const SCREENING = [
  ['pregnant', 'Pregnant'],
  ['recent_surgery', 'Recent surgery'],
  ['osteoporosis', 'Osteoporosis'],
  ['uncontrolled_hypertension', 'Uncontrolled high blood pressure'],
] as const;

export const POSTURE_FLAGS = [
  ['forward_head', 'Forward head'],
  ['rounded_shoulders', 'Rounded shoulders'],
  ['thoracic_kyphosis', 'Increased thoracic kyphosis'],
  ['scapular_winging', 'Scapular winging'],
  ['anterior_pelvic_tilt', 'Anterior pelvic tilt'],
  ['posterior_pelvic_tilt', 'Posterior pelvic tilt (flat or sway back)'],
] as const;

export const POSTURE_MEASURES = [
  ['craniovertebral_angle_deg', 'Craniovertebral angle', '°', 'Angle at C7 between the horizontal and the line to the ear tragus, standing; below 50° suggests a forward head.'],
  ['anterior_pelvic_tilt_deg', 'Pelvic tilt angle (ASIS–PSIS)', '°', 'Positive when the front of the pelvis is lower.'],
  ['shoulder_height_diff_cm', 'Shoulder height difference', 'cm', ''],
  ['pelvic_height_diff_cm', 'Pelvic (iliac crest) height difference', 'cm', ''],
] as const;

export const OVERHEAD_SQUAT = [
  ['feet_turn_out', 'Feet turn out', true],
  ['feet_flatten', 'Feet flatten (arch collapses)', true],
  ['knees_move_inward', 'Knees move inward (valgus)', true],
  ['knees_move_outward', 'Knees move outward (varus)', true],
  ['heels_rise', 'Heels rise', true],
  ['excessive_forward_lean', 'Excessive forward lean', false],
  ['low_back_arches', 'Low back arches', false],
  ['low_back_rounds', 'Low back rounds', false],
  ['arms_fall_forward', 'Arms fall forward', true],
  ['asymmetric_weight_shift', 'Weight shifts to one side (tick the side it shifts toward)', true],
] as const;

export const SINGLE_LEG_SQUAT = [
  ['knee_valgus', 'Knee moves inward on the stance leg'],
  ['pelvic_drop', 'Pelvis drops on the free side'],
  ['trunk_lean', 'Trunk leans sideways'],
  ['trunk_rotation', 'Trunk rotates'],
] as const;

export const FMS_TESTS = [
  ['deep_squat', 'Deep squat', false],
  ['hurdle_step', 'Hurdle step', true],
  ['inline_lunge', 'In-line lunge', true],
  ['shoulder_mobility', 'Shoulder mobility', true],
  ['active_straight_leg_raise', 'Active straight-leg raise', true],
  ['trunk_stability_push_up', 'Trunk stability push-up', false],
  ['rotary_stability', 'Rotary stability', true],
] as const;

export const FMS_CLEARING = [
  ['shoulder_clearing', 'Shoulder clearing test painful'],
  ['spinal_extension_clearing', 'Spinal extension clearing test painful'],
  ['spinal_flexion_clearing', 'Spinal flexion clearing test painful'],
] as const;

export const PHASE_NAMES: Record<string, string> = {
  stretch: 'Stretch',
  strengthen: 'Strengthen',
  functional: 'Functional',
};
