#!/usr/bin/env bash
# Fuzzes every target of fuzz/ for a while each: `scripts/fuzz.sh [SECONDS] [TARGET...]`
# (default: 600 seconds, every target). `scripts/fuzz.sh --ci` gives each target 8 seconds,
# installing cargo-fuzz first when it is missing: what .ci/run calls after the tests.
#
# Seeds come from tests/fixtures/ and samples/, copied into fuzz/corpus/<target>/ (not
# committed; the fuzzer adds what it finds there). A crash leaves its input in
# fuzz/artifacts/<target>/ and stops the script with a non-zero exit code: turn the input
# into a regression test under tests/ before fixing the crate.
#
# The targets build on the stable toolchain: `cargo fuzz run -s none` (libFuzzer's coverage
# instrumentation, without a sanitizer: Rust code needs none to catch panics, overflows and
# out-of-bounds accesses, and AddressSanitizer needs nightly). Set FUZZ_SANITIZER=address
# with a nightly toolchain to use one.
set -euo pipefail
cd "$(dirname "$0")/.."

ci=false
seconds=600
targets=()
for arg in "$@"; do
  case "$arg" in
    --ci) ci=true; seconds=8 ;;
    ''|*[!0-9]*) targets+=("$arg") ;;
    *) seconds="$arg" ;;
  esac
done
all=(external_feed text_article markdown_article html_article dates config opml)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

if ! cargo fuzz --version >/dev/null 2>&1; then
  $ci || { echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2; exit 1; }
  cargo install cargo-fuzz --locked --quiet
fi

# Copies the seed files for `target` (files whose name ends in one of the extensions).
seed() {
  local target=$1; shift
  local dir="fuzz/corpus/$target"
  mkdir -p "$dir"
  local ext
  for ext in "$@"; do
    find tests/fixtures samples -type f -name "*.$ext" -size -200k -print0 |
      while IFS= read -r -d '' f; do cp -n "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
  done
}
seed external_feed xml rss rdf atom json opml
seed text_article txt
seed markdown_article md markdown
seed html_article html htm
seed opml opml xml
seed config toml
# Dates: each line that holds a digit, from the text samples, as its own seed (the first
# byte picks the time zone).
mkdir -p fuzz/corpus/dates
find samples tests/fixtures/markup -type f \( -name '*.txt' -o -name '*.md' \) -print0 |
  xargs -0 cat 2>/dev/null | grep -a '[0-9]' | head -n 400 | awk '{
    f = sprintf("fuzz/corpus/dates/line-%03d", NR); printf "%c%s", NR % 6 + 48, $0 > f; close(f) }'

sanitizer=${FUZZ_SANITIZER:-none}
# A run longer than this per input, or larger than this in memory, is a finding too.
limits=(-timeout=10 -rss_limit_mb=2048)
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${seconds}s"
  cargo fuzz run -s "$sanitizer" --release "$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${limits[@]}" 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)|panicked|Test unit written' || true
  if compgen -G "fuzz/artifacts/$target/*" >/dev/null; then
    echo "fuzz $target: found a failing input in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
