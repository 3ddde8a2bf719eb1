// Reading data/body/ and data/illustrations/ (the knowledge-base loader calls
// these). Every problem is recorded with its JSON path; what parsed is kept.
#pragma once

#include <vector>

#include "body/body.h"
#include "core/detail/json_reader.h"

namespace rebalance::body::detail {

using rebalance::detail::Json;
using rebalance::detail::Problems;

// data/body/model.json: segments, joints and their limits, landmarks,
// furniture. Expands the skeleton when the definitions are valid.
void read_model(Problems& p, const Json& j, Model& model);
// data/body/postures.json (after the model): named starting postures, each
// validated like a keyframe (limits, contacts, floor).
void read_postures(Problems& p, const Json& j, Model& model);
// data/body/keypoints.json (after the model): keypoint layouts.
void read_layouts(Problems& p, const Json& j, Model& model);
// One file of data/illustrations/ (after the model and postures). Appends
// each illustration; validates joint limits, contacts on their surfaces,
// nothing through the floor at any keyframe or between keyframes (unless
// `check_placement` is false: the pose-fitting tool reads poses to fix).
void read_illustrations(Problems& p, const Json& j, const Model& model, std::vector<Illustration>& out,
                        bool check_placement = true);

}  // namespace rebalance::body::detail
