#!/usr/bin/env bash
# Times each exercise's red/green loop as a learner runs it with the racebook command, on a
# copy of the checkout (the working tree is not touched), and prints a markdown table. The
# instructor guide's machine times come from this script.
#
#   crates/cli/scripts/time-loop.sh [--cold]
#
# It first times the instructor guide's warm-up command (`racebook warm --no-book`),
# then each exercise: the first check of the broken starting point, a second one, and a check
# after copying each reference fix over the learner's file.
#
# The copy builds in a target directory of its own (two checkouts must never share one: cargo
# would take one's build of src/exercise.rs for the other's). Default: a persistent one under
# target/, so the warm-up only rebuilds the workspace's own crates, as in a prepared workshop.
# --cold: a fresh, empty one, as on an unprepared laptop.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d /tmp/racebook-time-loop.XXXXXX)
trap 'cp "$work/log" /tmp/racebook-time-loop.log 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/repo"
# --touch: every file is new to cargo, so nothing built from an earlier copy is taken as fresh.
tar -C "$root" --exclude=target --exclude=node_modules -cf - \
    Cargo.toml Cargo.lock .cargo book.toml crates xtask exercises examples/meet-the-harness vendor src web |
    tar -C "$work/repo" --touch -xf -

if [[ "${1:-}" == "--cold" ]]; then
    export CARGO_TARGET_DIR="$work/target"
else
    export CARGO_TARGET_DIR="$root/target/racebook-time-loop"
fi
cd "$work/repo"
start=$(date +%s.%N)
cargo build -q -p racebook
end=$(date +%s.%N)
echo "build of the command \`cargo build -p racebook\`: $(echo "$end - $start" | bc | xargs printf '%.0f') s"
racebook="$CARGO_TARGET_DIR/debug/racebook"
start=$(date +%s.%N)
warmed=ok
"$racebook" warm --no-book >>"$work/log" 2>&1 || warmed="FAILED (see the log); the checks below build what they need"
end=$(date +%s.%N)
echo "warm-up \`racebook warm --no-book\`: $(echo "$end - $start" | bc | xargs printf '%.0f') s on $(nproc) cores: $warmed"
echo

# Wall seconds of one racebook command (its output goes to a log, its exit code is ignored).
seconds() {
    local start end
    start=$(date +%s.%N)
    "$racebook" "$@" >>"$work/log" 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc | xargs printf '%.1f'
}

echo "| exercise | first check (red, incl. build) | red again | fix | green check (incl. rebuild) |"
echo "|---|---|---|---|---|"
for manifest in exercises/*/racebook.toml; do
    dir=$(dirname "$manifest")
    slug=$(basename "$dir")
    first=$(seconds check "$slug")
    again=$(seconds check "$slug")
    solutions=$(sed -n 's/^solutions = \[\(.*\)\]/\1/p' "$manifest" | tr -d '"' | tr ',' ' ')
    for fix in $solutions; do
        cp "$dir/$fix" "$dir/src/exercise.rs"
        green=$(seconds check "$slug")
        status=$(grep -o "✓ $slug is green\|✗ $slug is red\|$slug is not proved" "$work/log" | tail -1)
        echo "| $slug | $first s | $again s | $(basename "$fix") | $green s ($status) |"
    done
    cp "$dir/src/broken.rs" "$dir/src/exercise.rs"
done
