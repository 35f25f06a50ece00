#!/usr/bin/env bash
# Entry point of the dvx GitHub Action (action.yml). It only wires the inputs to the dvx CLI of the action's
# checkout: optional `dvx pull` / `dvx repro`, then `dvx ci report` and `dvx ci comment`. Inputs arrive as
# DVX_INPUT_* variables and the token as DVX_GITHUB_TOKEN, never pasted into the script text.
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:?run this from action.yml (GITHUB_ACTION_PATH is not set)}"
dvx() { node "$action_path/bin/dvx.js" "$@"; }
is_true() { case "$1" in true | True | TRUE | yes | 1) return 0 ;; *) return 1 ;; esac; }

# dvx on PATH for the job's later steps
if [ -n "${GITHUB_PATH:-}" ]; then echo "$action_path/scripts/action/bin" >>"$GITHUB_PATH"; fi

if is_true "${DVX_INPUT_PULL:-false}"; then
  if [ -n "${DVX_INPUT_REMOTE:-}" ]; then dvx pull -r "$DVX_INPUT_REMOTE"; else dvx pull; fi
fi
if is_true "${DVX_INPUT_REPRO:-false}"; then dvx repro; fi
if ! is_true "${DVX_INPUT_COMMENT:-true}"; then exit 0; fi

name="${DVX_INPUT_NAME:-dvx}"
base="${DVX_INPUT_BASE:-}"
report="${DVX_INPUT_REPORT_FILE:-}"
if [ -z "$report" ]; then
  # the report compares with the base commit: fetch it when the checkout was shallow
  if [ -n "$base" ] && ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null 2>&1; then
    git fetch --no-tags --quiet --depth=1 origin "$base" ||
      echo "::warning title=dvx report::the base commit $base is not in the clone; use actions/checkout with fetch-depth: 0"
  fi
  report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/dvx-report-${name//[^A-Za-z0-9._-]/_}.md"
  args=(ci report --name "$name" -o "$report")
  if [ -n "$base" ]; then args+=(--base "$base"); fi
  if [ -n "${DVX_INPUT_HEAD:-}" ]; then args+=(--head "$DVX_INPUT_HEAD"); fi
  read -r -a targets <<<"$(printf '%s' "${DVX_INPUT_TARGETS:-}" | tr '\n' ' ')"
  if [ "${#targets[@]}" -gt 0 ]; then args+=(--targets "${targets[@]}"); fi
  dvx "${args[@]}"
fi

result="$(dvx ci comment --report "$report" --name "$name" --token-env DVX_GITHUB_TOKEN --json)"
printf '%s' "$result" | node -e '
  const r = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const where = r.target.kind === "pull_request" ? `pull request #${r.target.number}` : `commit ${r.target.sha}`;
  console.log(`dvx: ${r.action} the '\''${r.name}'\'' report on ${where}${r.url ? `: ${r.url}` : ""}`);
  const out = process.env.GITHUB_OUTPUT;
  if (out) require("node:fs").appendFileSync(out, `comment-url=${r.url ?? ""}\ncomment-id=${r.commentId ?? ""}\n`);
'
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "report-file=$report" >>"$GITHUB_OUTPUT"; fi
