#!/usr/bin/env bash
# One govscan scan in CI, configured by GOVSCAN_* variables: used by action.yml (GitHub) and by the
# GitLab template (ci/gitlab/govscan.gitlab-ci.yml), and shipped in the npm package for the latter.
# Writes the JSON report and the GitHub SARIF directory in one scan, then JUnit and HTML from the JSON
# (no second scan), and exits with the scan's code: 0 pass, 1 findings at or above the threshold (or,
# with GOVSCAN_FAIL_ON_NOT_TESTED, rules that could not be evaluated), 2 invalid input, 3 the scan
# could not run, 130 interrupted.
#
#   GOVSCAN_TARGETS    URLs or host:port, separated by spaces or new lines
#   GOVSCAN_INVENTORY  inventory YAML            GOVSCAN_POLICY   policy ids/files (spaces/new lines)
#   GOVSCAN_FAIL_ON    critical|high|medium|low|none (default high)
#   GOVSCAN_FAIL_ON_NOT_TESTED  true: also fail when an applicable rule could not be evaluated
#   GOVSCAN_WAIVERS    waiver YAML               GOVSCAN_BASELINE earlier JSON or SARIF report
#   GOVSCAN_LANG       en|vi                     GOVSCAN_ARGS     extra scan arguments (split on spaces)
#   GOVSCAN_JSON       JSON report path (default govscan.json)
#   GOVSCAN_SARIF_DIR  GitHub SARIF directory (default govscan-sarif; "" for none)
#   GOVSCAN_JUNIT      JUnit report path ("" for none)      GOVSCAN_HTML  HTML report path ("" for none)
#   GOVSCAN_SUMMARY    Markdown job summary appended to this file (GitHub: $GITHUB_STEP_SUMMARY; "" for none)
#   GOVSCAN_CODEQUALITY  GitLab Code Quality report path ("" for none)
#   GOVSCAN_BIN        the govscan to run (default: govscan on PATH; a .js path runs with node)
set -uo pipefail

bin="${GOVSCAN_BIN:-govscan}"
govscan() {
  if [[ "$bin" == *.js ]]; then node "$bin" "$@"; else "$bin" "$@"; fi
}

words() { tr '\n\r\t' '   ' <<<"${1:-}"; }

lang="${GOVSCAN_LANG:-en}"
json="${GOVSCAN_JSON:-govscan.json}"
sarif_dir="${GOVSCAN_SARIF_DIR-govscan-sarif}"

args=(scan)
read -r -a targets <<<"$(words "${GOVSCAN_TARGETS:-}")"
args+=("${targets[@]}")
[ -n "${GOVSCAN_INVENTORY:-}" ] && args+=(--inventory "$GOVSCAN_INVENTORY")
read -r -a policies <<<"$(words "${GOVSCAN_POLICY:-}")"
for p in "${policies[@]}"; do args+=(--policy "$p"); done
args+=(--fail-on "${GOVSCAN_FAIL_ON:-high}" --lang "$lang")
case "${GOVSCAN_FAIL_ON_NOT_TESTED:-false}" in
  true | 1 | yes) args+=(--fail-on-not-tested) ;;
  false | 0 | no | '') ;;
  *)
    echo "GOVSCAN_FAIL_ON_NOT_TESTED must be true or false, not '${GOVSCAN_FAIL_ON_NOT_TESTED}'" >&2
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=2" >>"$GITHUB_OUTPUT"; fi
    exit 2
    ;;
esac
[ -n "${GOVSCAN_WAIVERS:-}" ] && args+=(--waivers "$GOVSCAN_WAIVERS")
[ -n "${GOVSCAN_BASELINE:-}" ] && args+=(--baseline "$GOVSCAN_BASELINE")
args+=(--format json --output "$json")
[ -n "$sarif_dir" ] && args+=(--sarif-dir "$sarif_dir")
read -r -a extra <<<"$(words "${GOVSCAN_ARGS:-}")"
args+=("${extra[@]}")

# A report from an earlier step must not be mistaken for this run's.
rm -f "$json"
govscan "${args[@]}"
code=$?

# Exit 2 means nothing was scanned; 0, 1, 3 and 130 all leave a report to convert.
if [ "$code" -ne 2 ] && [ -f "$json" ]; then
  if [ -n "${GOVSCAN_JUNIT:-}" ]; then govscan report convert "$json" --to junit --lang "$lang" -o "$GOVSCAN_JUNIT" || code=$((code == 0 ? 3 : code)); fi
  if [ -n "${GOVSCAN_HTML:-}" ]; then govscan report convert "$json" --to html --lang "$lang" -o "$GOVSCAN_HTML" || code=$((code == 0 ? 3 : code)); fi
  if [ -n "${GOVSCAN_CODEQUALITY:-}" ]; then govscan report convert "$json" --to codequality --lang "$lang" -o "$GOVSCAN_CODEQUALITY" || code=$((code == 0 ? 3 : code)); fi
  # Appended, not replaced: the step summary may already hold what earlier commands wrote.
  if [ -n "${GOVSCAN_SUMMARY:-}" ]; then govscan report convert "$json" --to markdown --lang "$lang" >>"$GOVSCAN_SUMMARY" || code=$((code == 0 ? 3 : code)); fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$code" >>"$GITHUB_OUTPUT"; fi
exit "$code"
