#!/usr/bin/env bash
# Fuzzes every target of fuzz/ for a while each: `scripts/fuzz.sh [SECONDS] [TARGET...]`
# (default: 600 seconds, every target, optimised build). `scripts/fuzz.sh --ci` gives each
# target 8 seconds in a debug build (half the build time, and overflow checks on),
# installing cargo-fuzz first when it is missing: what .ci/run calls after the tests.
#
# Seeds come from tests/fixtures/, samples/ and feeds/, copied into fuzz/corpus/<target>/ (not
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
profile=--release
targets=()
for arg in "$@"; do
  case "$arg" in
    --ci) ci=true; seconds=8; profile=--dev ;;
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

# The corpus: fuzz/corpus/<target>/, kept between runs. In CI a fresh one of at most 40
# seeds per target: libFuzzer first runs every input of the corpus, however long that takes.
corpus=fuzz/corpus
max_seeds=100000
if $ci; then
  corpus=fuzz/corpus-ci
  max_seeds=40
  rm -rf "$corpus"
fi

# Copies seed files for `target` (names ending in one of the extensions), spread evenly
# over the sorted list when there are more than `max_seeds`.
seed() {
  local target=$1; shift
  local dir="$corpus/$target" ext files=()
  mkdir -p "$dir"
  for ext in "$@"; do
    while IFS= read -r -d '' f; do files+=("$f"); done < <(
      find tests/fixtures samples -type f -name "*.$ext" -size -200k -print0 | sort -z)
  done
  local step=$(( (${#files[@]} + max_seeds - 1) / max_seeds )) i
  [ "$step" -gt 0 ] || return 0
  for ((i = 0; i < ${#files[@]}; i += step)); do
    cp -n "${files[$i]}" "$dir/$(echo "${files[$i]}" | tr '/' '_')"
  done
}
seed external_feed xml rss rdf atom json opml
seed text_article txt
seed markdown_article md markdown
seed html_article html htm
seed opml opml xml
seed config toml
# The shipped definitions are configs too.
find feeds -maxdepth 1 -name '*.toml' -exec cp -n {} "$corpus/config/" \;
# Dates: lines that hold a digit, from the text samples, each its own seed (the first byte
# picks the time zone).
mkdir -p "$corpus/dates"
find samples tests/fixtures/markup -type f \( -name '*.txt' -o -name '*.md' \) -print0 | sort -z |
  xargs -0 cat | grep -a '[0-9]' |
  awk -v dir="$corpus/dates" -v max="$(( max_seeds < 400 ? max_seeds : 400 ))" 'NR <= max {
    f = sprintf("%s/line-%03d", dir, NR); printf "%c%s", NR % 6 + 48, $0 > f; close(f) }'

sanitizer=${FUZZ_SANITIZER:-none}
# A run longer than this per input, or larger than this in memory, is a finding too.
limits=(-timeout=10 -rss_limit_mb=2048)
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${seconds}s"
  cargo fuzz run -s "$sanitizer" "$profile" "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${limits[@]}" 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)|panicked|Test unit written' || true
  if compgen -G "fuzz/artifacts/$target/*" >/dev/null; then
    echo "fuzz $target: found a failing input in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
