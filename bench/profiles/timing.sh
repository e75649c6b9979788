#!/usr/bin/env bash
# Times the full cis-debian-12 profile on this host beside OpenSCAP in the same run (median of
# RUNS): (a) without the filesystem-wide scans against `oscap xccdf eval --profile standard`;
# (b) only the filesystem-wide scans (world-writable, unowned, SUID/SGID) against oscap's
# file_permissions_unauthorized_world_writable rule. Wall, CPU (user+sys) and peak RSS from
# /usr/bin/time -v. The ssg-debian11 datastream is patched in a temp copy as in bench/audit/run.sh.
#
#   bash bench/profiles/timing.sh [RUNS]      (default 3; root)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-3}"
DS=/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml
TMP="$(mktemp -d /tmp/spyglass-bench-profiles.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
sed -e 's#\^11\.\[0-9\]+\$#^1[12].[0-9]+$#g' \
    -e 's#<unix:filepath datatype="string">/.dockerenv</unix:filepath>#<unix:filepath datatype="string">/.spyglass-bench-not-a-container</unix:filepath>#g' \
    -e 's#<unix:filepath datatype="string">/run/.containerenv</unix:filepath>#<unix:filepath datatype="string">/run/.spyglass-bench-not-a-container</unix:filepath>#g' \
    "$DS" > "$TMP/ds.xml"
OUT=bench/out/profiles-dist
rm -rf "$OUT" && npx tsc -p tsconfig.build.json --outDir "$OUT/dist" >/dev/null || true
[ -f "$OUT/dist/cli/main.js" ] || { echo "build failed"; exit 1; }
printf "import { main } from './dist/cli/main.js';\nmain(process.argv).then((c) => { process.exitCode = c; });\n" > "$OUT/spyglass.mjs"
measure() { local name="$1"; shift
  /usr/bin/time -v -o "$TMP/time.txt" "$@" > /dev/null 2>"$TMP/$name.err" || true
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { printf "%.3f %.3f %d\n", w, u + s, r }' "$TMP/time.txt" >> "$TMP/$name"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$TMP/$1" | median; }
RULE=xccdf_org.ssgproject.content_rule_file_permissions_unauthorized_world_writable
for i in $(seq "$RUNS"); do
  measure oscap oscap xccdf eval --profile standard "$TMP/ds.xml"
  measure spy node "$OUT/spyglass.mjs" audit --profile profiles/cis-debian-12.yaml --skip-tags filesystem-scan --format json --output "$TMP/a.json"
  measure spyscan node "$OUT/spyglass.mjs" audit --profile profiles/cis-debian-12.yaml --tags filesystem-scan --format json --output "$TMP/b.json"
done
measure oscapww oscap xccdf eval --profile standard --rule "$RULE" "$TMP/ds.xml"
row() { printf "| %s | %s | %s | %s |\n" "$1" "$(col "$2" 1)" "$(col "$2" 2)" "$(awk -v r="$(col "$2" 3)" 'BEGIN{printf "%.1f", r/1024}')"; }
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, median of $RUNS (oscap world-writable: 1 run)"
echo "| run | wall s | CPU s | peak RSS MiB |"; echo "|---|---|---|---|"
row "oscap --profile standard" oscap
row "spyglass cis-debian-12 without filesystem scans" spy
row "oscap --rule file_permissions_unauthorized_world_writable" oscapww
row "spyglass cis-debian-12 filesystem scans only (3 controls, 6 scans)" spyscan
