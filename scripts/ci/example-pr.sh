#!/usr/bin/env bash
# For .github/workflows/example-report.yml: the example project (templates/example) in DIR, in a git repository of
# its own (what `dvx init --example` makes), in two states:
#   HEAD           the example as commit BASE of this repository has it, run with `dvx repro` and committed there;
#   the workspace  the example as this checkout has it, run again with `dvx repro`.
# `dvx ci report --base HEAD` in DIR then shows what the pull request changes in the example's params, metrics, data
# and plots. Nothing is committed to this repository. Run it from the repository root:
#   bash scripts/ci/example-pr.sh BASE DIR
set -euo pipefail

base="${1:?usage: example-pr.sh BASE DIR}"
dir="${2:?usage: example-pr.sh BASE DIR}"
dvx_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dvx() { node "$dvx_root/bin/dvx.js" "$@"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/head"
cp -a templates/example/. "$work/head/"
if git cat-file -e "$base:templates/example" 2>/dev/null; then
  git archive "$base" templates/example | tar -x -C "$work/base" --strip-components=2
else
  echo "::notice title=example report::commit $base has no templates/example: its side is this checkout's example"
  cp -a templates/example/. "$work/base/"
fi

# replace_files FROM TO: the files of template FROM in DIR give way to those of template TO
replace_files() {
  (cd "$1" && find . -type f -print0) | (cd "$dir" && xargs -0 rm -f --)
  cp -a "$2/." "$dir/"
}

dvx init --example "$dir" >/dev/null
replace_files "$dvx_root/templates/example" "$work/base"
(
  cd "$dir"
  dvx repro
  git add -A
  git -c user.name="dvx example" -c user.email="example@dvx.invalid" -c commit.gpgsign=false \
    commit -q -m "templates/example at $base, reproduced"
)
replace_files "$work/base" "$work/head"
(cd "$dir" && dvx repro)
