#!/usr/bin/env bash
# FIM benchmark against AIDE, a sha256sum pipeline and inotifywait, in one run on this machine.
# Usage: [ROUNDS=1] [SKIP_SCANS=1] bench/fim/run.sh [TREE=/usr]   (needs aide, inotify-tools; run as root)
# Prints one line per measurement; RESULTS.md holds a run's figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
TREE=${1:-/usr}
OUT=$(mktemp -d /tmp/spyglass-fim-bench-XXXX)
trap 'rm -rf "$OUT"' EXIT
# compiled JavaScript, as the agent runs in production (tsx alone adds ~40 MB RSS and start-up time)
npx tsc -p tsconfig.json --outDir "$OUT/build" > "$OUT/tsc.log" 2>&1 || echo "(tsc reported errors, see the build log; emitted anyway)"
ln -s "$PWD/node_modules" "$OUT/build/node_modules"
SPY=(node "$OUT/build/test/helpers/run-cli.js")
B="$OUT/build/bench/fim"
T=(/usr/bin/time -f "%e s wall, %M KB max RSS, %P CPU")

printf 'watch:\n  - path: %s\nbaseline: %s/spy.db\nhashes: [sha256]\n' "$TREE" "$OUT" > "$OUT/fim.yaml"
cat > "$OUT/aide.conf" <<CONF
database_in=file:$OUT/aide.db
database_out=file:$OUT/aide.db.new
gzip_dbout=no
R = p+i+n+u+g+s+b+m+c+sha256
$TREE R
CONF

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, load $(cut -d' ' -f1-3 /proc/loadavg); $(find "$TREE" -type f | wc -l) files, $(du -sh "$TREE" 2>/dev/null | cut -f1), $(find "$TREE" -type d | wc -l) directories"
echo "== warm-up: read the tree once so every tool meets a warm page cache"
find "$TREE" -type f -print0 | xargs -0 -P2 -n2000 cat > /dev/null 2>&1 || true

[ -n "${SKIP_SCANS:-}" ] && ROUNDS=0
for round in $(seq 1 "${ROUNDS:-1}"); do
  echo "== round $round"
  rm -f "$OUT"/spy.db* "$OUT"/aide.db*
  echo -n "spyglass fim baseline: "; "${T[@]}" "${SPY[@]}" fim baseline -c "$OUT/fim.yaml" --no-progress 2>&1 | tail -1
  echo -n "aide --init:           "; "${T[@]}" aide --init --config="$OUT/aide.conf" 2>&1 >/dev/null | tail -1
  echo -n "sha256sum pipeline:    "; "${T[@]}" sh -c "find $TREE -type f -print0 | xargs -0 -P2 -n2000 sha256sum > /dev/null" 2>&1 | tail -1
  mv "$OUT/aide.db.new" "$OUT/aide.db"
  echo -n "spyglass fim check:    "; "${T[@]}" "${SPY[@]}" fim check -c "$OUT/fim.yaml" --no-progress 2>&1 >/dev/null | tail -1 || true
  echo -n "aide --check:          "; "${T[@]}" aide --check --config="$OUT/aide.conf" 2>&1 >/dev/null | tail -1 || true
done

[ -f "$OUT/spy.db" ] || "${SPY[@]}" fim baseline -c "$OUT/fim.yaml" --no-progress 2>/dev/null
echo "== watch setup on $TREE"
s=$(date +%s.%N)
inotifywait -m -r "$TREE" > /dev/null 2> "$OUT/iw.err" &
IW=$!
until grep -q "Watches established" "$OUT/iw.err" 2>/dev/null; do sleep 0.01; done
echo "inotifywait -m -r: $(echo "$(date +%s.%N) - $s" | bc) s to 'Watches established'"
kill $IW
node "$B/watch-rss.js" "$OUT/spy.db" 10 "$TREE" | sed 's/^/spyglass watch: /'

echo "== steady RSS watching /usr and /etc"
printf 'watch:\n  - path: /usr\n  - path: /etc\nbaseline: %s/both.db\n' "$OUT" > "$OUT/both.yaml"
"${SPY[@]}" fim baseline -c "$OUT/both.yaml" --no-progress 2>/dev/null
# 45 s: past the hashing workers' 30 s idle stop
node "$B/watch-rss.js" "$OUT/both.db" 45 /usr /etc | sed 's/^/spyglass watch \/usr+\/etc: /'
node --max-semi-space-size=2 "$B/watch-rss.js" "$OUT/both.db" 45 /usr /etc | sed 's/^/spyglass watch \/usr+\/etc, --max-semi-space-size=2: /'

echo "== burst of 100 000 file writes"
node "$B/burst.js" 100000
