#!/usr/bin/env bash
# Command-line contract tests: exit codes, messages on stderr in the contract's
# format, nothing on stdout or in -o on bad input, byte-identical reruns.
#   cli_test.sh PATH/TO/rebalance SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
ex=$src/examples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
pass() { :; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run NAME EXPECTED_EXIT CMD...: runs, keeps stdout/stderr in $tmp/out, $tmp/err
run() {
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" = "$want" ] || fail "$name: exit $got, wanted $want; stderr: $(head -c 400 "$tmp/err")"
}
stdout_empty() { [ ! -s "$tmp/out" ] || fail "$1: stdout not empty on bad input"; }
stderr_has() { grep -qF -- "$2" "$tmp/err" || fail "$1: stderr lacks '$2': $(head -c 400 "$tmp/err")"; }
stdout_has() { grep -qF -- "$2" "$tmp/out" || fail "$1: stdout lacks '$2'"; }

# The allocator CMake was told to use (REBALANCE_ALLOCATOR) is the one every
# library's malloc binds to.
if [ "${REBALANCE_EXPECTED_ALLOCATOR:-}" = tcmalloc ]; then
  LD_DEBUG=bindings "$bin" --version 2>&1 >/dev/null | grep "normal symbol \`malloc'" >"$tmp/bindings"
  grep -q "libc.so.6 .* to .*libtcmalloc_minimal" "$tmp/bindings" || fail "malloc is not tcmalloc's: $(head -c 300 "$tmp/bindings")"
  grep -v -q "libtcmalloc_minimal.so.4 \[0\]: normal" "$tmp/bindings" && fail "some library's malloc is not tcmalloc's"
fi

# Help and version
run help 0 "$bin" --help; stdout_has help "assess"
run assess-help 0 "$bin" assess --help; stdout_has assess-help "--json"
run plan-help 0 "$bin" plan --help; stdout_has plan-help "--days-per-week"
run no-subcommand 2 "$bin"

# Success paths
run assess-text 0 "$bin" assess "$ex/office-worker.json"; stdout_has assess-text "TIGHT / OVERACTIVE"
run assess-json 0 "$bin" assess "$ex/office-worker.json" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="rebalance.assessment/1"' "$tmp/out" || fail "assess --json is not the contract's JSON"
run plan-json 0 "$bin" plan "$ex/office-worker.json" --json --start 2026-11-30
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="rebalance.program/1" and d["start_date"]=="2026-11-30"' "$tmp/out" || fail "plan --json is not the contract's JSON"
cp "$tmp/out" "$tmp/first.json"
run plan-json-again 0 "$bin" plan "$ex/office-worker.json" --json --start 2026-11-30
cmp -s "$tmp/out" "$tmp/first.json" || fail "the same intake and flags gave different output"
run plan-flags 0 "$bin" plan "$ex/office-worker.json" --json --start 2026-12-01 --weeks 2 --days-per-week 4 --minutes 30
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert (d["weeks"],d["days_per_week"],d["minutes_per_session"])==(2,4,30) and len(d["sessions"])==8' "$tmp/out" || fail "flags do not override preferences"
run plan-html 0 "$bin" plan "$ex/runner-knee.json" --html --start 2026-11-30; stdout_has plan-html "<!DOCTYPE html>"
run plan-ics 0 "$bin" plan "$ex/runner-knee.json" --ics --start 2026-11-30; stdout_has plan-ics "BEGIN:VCALENDAR"
run plan-text 0 "$bin" plan "$ex/self-check.json" --start 2026-11-30; stdout_has plan-text "WEEK 1"
run stdin 0 "$bin" assess - < "$ex/runner-knee.json"; stdout_has stdin "REBALANCE ASSESSMENT"
run output-file 0 "$bin" plan "$ex/office-worker.json" --json --start 2026-11-30 -o "$tmp/program.json"
cmp -s "$tmp/program.json" "$tmp/first.json" || fail "-o FILE differs from stdout"
stdout_empty output-file
run pdf 0 "$bin" plan "$ex/office-worker.json" --pdf -o "$tmp/handout.pdf" --start 2026-11-30
head -c 5 "$tmp/handout.pdf" | grep -q '%PDF-' || fail "--pdf did not write a PDF"

# Knowledge base browsing
run exercises 0 "$bin" exercises; stdout_has exercises "glute_bridge"
run exercise 0 "$bin" exercises glute_bridge; stdout_has exercise "Perform 3 sets of 15"
run exercise-json 0 "$bin" exercises hip_flexor_stretch --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dose"]["hold_seconds"]==30' "$tmp/out" || fail "exercises ID --json"
run exercise-unknown 2 "$bin" exercises no_such_thing; stderr_has exercise-unknown 'found "no_such_thing"'
run muscles 0 "$bin" muscles --json
run tests 0 "$bin" tests; stdout_has tests "thomas_test"

# Bad input: exit 2, contract-format messages, nothing on stdout
printf '{"schema": "rebalance.intake/1", "rom": [{"test": "hip_extension", "side": "left", "degrees": "abc"}], "client": {"age": 200}}' > "$tmp/bad.json"
run bad-values 2 "$bin" assess "$tmp/bad.json"
stderr_has bad-values "$tmp/bad.json: \$.rom[0].degrees: expected a number of degrees (-90 to 200), found \"abc\""
stderr_has bad-values "$tmp/bad.json: \$.client.age: expected"
[ "$(wc -l < "$tmp/err")" -eq 2 ] || fail "bad-values: wanted one line per problem"
stdout_empty bad-values
run bad-stdin 2 "$bin" assess - < "$tmp/bad.json"; stderr_has bad-stdin "<stdin>: \$.rom[0].degrees"; stdout_empty bad-stdin
printf 'not json' > "$tmp/notjson.json"
run not-json 2 "$bin" plan "$tmp/notjson.json"; stderr_has not-json "expected valid JSON"; stdout_empty not-json
run missing-file 2 "$bin" assess "$tmp/nope.json"; stderr_has missing-file "nope.json: \$: expected a readable JSON file"; stdout_empty missing-file
run directory 2 "$bin" assess "$tmp"; stdout_empty directory
run unknown-flag 2 "$bin" plan "$ex/office-worker.json" --colour; stdout_empty unknown-flag
run bad-weeks 2 "$bin" plan "$ex/office-worker.json" --weeks 0; stdout_empty bad-weeks
run bad-minutes 2 "$bin" plan "$ex/office-worker.json" --minutes abc; stdout_empty bad-minutes
run bad-start 2 "$bin" plan "$ex/office-worker.json" --start 2026-13-01; stdout_empty bad-start
run two-formats 2 "$bin" plan "$ex/office-worker.json" --json --html; stdout_empty two-formats
run pdf-needs-o 2 "$bin" plan "$ex/office-worker.json" --pdf; stderr_has pdf-needs-o "-o"; stdout_empty pdf-needs-o
run unwritable 2 "$bin" plan "$ex/office-worker.json" -o "$tmp/no/such/dir/out.txt"; stdout_empty unwritable

# Bad input never touches an existing -o file
echo "keep me" > "$tmp/keep.txt"
run bad-with-o 2 "$bin" plan "$tmp/bad.json" -o "$tmp/keep.txt"
[ "$(cat "$tmp/keep.txt")" = "keep me" ] || fail "bad input changed the -o file"
[ -z "$(ls -A "$tmp" | grep '^\.keep')" ] || fail "a temporary file was left behind"

# A broken knowledge base is reported with file and path
cp -r "$src/data" "$tmp/data"
sed -i 's/"gluteus_maximus"/"gluteus_maximuz"/' "$tmp/data/exercises/article.json"
run broken-kb 2 "$bin" --data "$tmp/data" exercises
stderr_has broken-kb "article.json: \$.exercises"
stdout_empty broken-kb
run broken-kb-plan 2 "$bin" --data "$tmp/data" plan "$ex/office-worker.json" --json
stderr_has broken-kb-plan "article.json: \$.exercises"
stdout_empty broken-kb-plan

# Commands that draw nothing load the knowledge base without its drawings;
# those that draw load and check them. A broken illustration stops the second
# kind only, and a handout still has a figure of each exercise it holds.
cp -r "$src/data" "$tmp/data2"
sed -i '0,/"keyframes"/s//"keyframez"/' "$tmp/data2/illustrations/article.json"
run plan-json-no-drawings 0 "$bin" --data "$tmp/data2" plan "$ex/office-worker.json" --json --start 2026-11-30
cmp -s "$tmp/out" "$tmp/first.json" || fail "plan --json without drawings differs from the full knowledge base's"
run plan-html-drawings 2 "$bin" --data "$tmp/data2" plan "$ex/office-worker.json" --html
stderr_has plan-html-drawings "illustrations/article.json"
stdout_empty plan-html-drawings
run plan-html-figures 0 "$bin" plan "$ex/office-worker.json" --html --start 2026-11-30
figures=$(grep -o '<div class="fig"><svg' "$tmp/out" | wc -l)
exercises=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len({i["exercise"] for s in d["sessions"] for i in s["items"]}))' "$tmp/first.json")
[ "$figures" -ge 5 ] && [ "$figures" = "$exercises" ] || fail "plan --html: $figures figures for $exercises exercises"

# rebalance progress: from an export (tests/cli/data, made by the service:
# a 4-week program from 2025-01-06, 6 of 12 sessions logged, and a
# re-assessment where the left straight-leg raise gained 12 degrees, MDC 7)
export_file="$src/tests/cli/data/progress-export.json"
run progress 0 "$bin" progress "$export_file" --as-of 2025-02-10
stdout_has progress "6 of 12 due sessions done (50 %); current streak 0, longest 4"
stdout_has progress "missed: 2025-01-15 (week 2 day 2)"
stdout_has progress "rom.straight_leg_raise left: 68 -> 80 deg (+12.0, MDC 7): improved"
stdout_has progress "rom.straight_leg_raise right: 71 -> 74 deg (+3.0, MDC 7): within_error"
run progress-json 0 "$bin" progress "$export_file" --as-of 2025-02-10 --json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['schema']=='rebalance.progress/1' and d['adherence']['consistency_percent']==50.0" "$tmp/out" ||
  fail "progress --json: not the expected rebalance.progress/1 document"
run progress-html 0 "$bin" progress "$export_file" --as-of 2025-02-10 --html -o "$tmp/progress.html"
grep -q "<svg" "$tmp/progress.html" || fail "progress --html: no chart"
run progress-stdin 0 "$bin" progress - --as-of 2025-02-10 < "$export_file"
stdout_has progress-stdin "6 of 12 due sessions done"
echo '{"schema": "rebalance.export/1", "client": {}, "assessments": [], "programs": 3}' > "$tmp/bad-export.json"
run progress-bad 2 "$bin" progress "$tmp/bad-export.json"
stderr_has progress-bad "bad-export.json: \$.client.name: expected a string"
stderr_has progress-bad "bad-export.json: \$.programs: expected a list of documents, found 3"
stderr_has progress-bad "bad-export.json: \$.logs: expected a list of documents"
stdout_empty progress-bad
run progress-both 2 "$bin" progress "$export_file" --db "$tmp/x.db" --client c_1; stdout_empty progress-both
run progress-no-db 2 "$bin" progress --db "$tmp/none.db" --client c_1
stderr_has progress-no-db "no such database file"
[ ! -e "$tmp/none.db" ] || fail "progress created a database"

# Exercise drawings and keypoints
run ex-svg 0 "$bin" exercises glute_bridge --svg -o "$tmp/bridge.svg"
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/bridge.svg" || fail "exercises --svg: not an SVG"
grep -q '<animate' "$tmp/bridge.svg" && fail "exercises --svg: the still is animated"
grep -q '<title>Glute bridge' "$tmp/bridge.svg" || fail "exercises --svg: no title"
run ex-svg-animated 0 "$bin" exercises glute_bridge --svg --animated
stdout_has ex-svg-animated '<animate attributeName="d"'
grep -q '<script' "$tmp/out" && fail "exercises --svg --animated: has a script"
run ex-keypoints 0 "$bin" exercises squat --keypoints coco17 --reps 2 --fps 10 --view front --noise 1 --seed 3 -o "$tmp/kp.jsonl"
python3 - "$tmp/kp.jsonl" <<'PY' || fail "exercises --keypoints: not the documented series"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "rebalance.keypoints/1" and d["layout"] == "coco17", d
assert len(d["names"]) == 17 and d["names"][5] == "left_shoulder", d["names"]
assert d["camera"]["yaw"] == 0 and d["truth"]["noise_px"] == 1 and d["truth"]["seed"] == 3
frames = d["frames"]
assert len(frames) >= 10 and all(len(f["points"]) == 17 and len(f["points"][0]) == 4 for f in frames)
assert frames[-1]["rep"] == 2
# One frame per line, for streaming readers.
assert sum(1 for l in open(sys.argv[1]) if l.lstrip().startswith('{"t":')) == len(frames)
PY
run ex-keypoints-again 0 "$bin" exercises squat --keypoints coco17 --reps 2 --fps 10 --view front --noise 1 --seed 3 -o "$tmp/kp2.jsonl"
cmp -s "$tmp/kp.jsonl" "$tmp/kp2.jsonl" || fail "exercises --keypoints: the same seed gives different output"
run ex-sheet 0 "$bin" exercises glute_bridge squat --sheet --columns 2 -o "$tmp/sheet.png"
head -c 8 "$tmp/sheet.png" | od -An -c | grep -q 'P   N   G' || fail "exercises --sheet: not a PNG"
run ex-bad-layout 2 "$bin" exercises squat --keypoints openpose -o "$tmp/kp3.jsonl"
stderr_has ex-bad-layout 'rebalance exercises: --keypoints: expected a layout (coco17, mediapipe33), found "openpose"'
[ ! -e "$tmp/kp3.jsonl" ] || fail "exercises --keypoints with a bad layout wrote a file"
run ex-bad-view 2 "$bin" exercises squat --keypoints coco17 --view above; stdout_empty ex-bad-view
stderr_has ex-bad-view '--view: expected left, right, front, back'
run ex-bad-id 2 "$bin" exercises no_such_thing --svg; stdout_empty ex-bad-id
stderr_has ex-bad-id 'found "no_such_thing"'
run ex-two-ids 2 "$bin" exercises squat glute_bridge --svg; stdout_empty ex-two-ids
stderr_has ex-two-ids 'several only with --sheet'
run ex-sheet-stdout 2 "$bin" exercises squat --sheet; stdout_empty ex-sheet-stdout
run ex-bad-size 2 "$bin" exercises squat --keypoints coco17 --size 10x99999; stdout_empty ex-bad-size
stderr_has ex-bad-size '--size: expected WIDTHxHEIGHT'
run plan-pdf 0 "$bin" plan "$ex/office-worker.json" --pdf -o "$tmp/plan.pdf" --start 2026-11-30
head -c 5 "$tmp/plan.pdf" | grep -q '%PDF-' || fail "plan --pdf: not a PDF"

if [ "$failures" -gt 0 ]; then
  echo "$failures command-line check(s) failed" >&2
  exit 1
fi
echo "command-line checks passed"
