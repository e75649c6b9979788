#!/usr/bin/env bash
# Times a full audit of this host with Spyglass's built-in Debian 12 profile beside OpenSCAP's
# `oscap xccdf eval --profile standard` on ssg-debian's datastream, in the same run: wall time,
# CPU time (user + sys) and peak RSS from /usr/bin/time -v, median of N runs each.
#
# ssg-debian ships Debian 10/11 content only; on Debian 12 every rule would be notapplicable.
# This script makes a patched copy of ssg-debian11-ds.xml in a temp dir where the
# /etc/debian_version platform test accepts 12.x, and the "is a container" tests look for a
# file that does not exist (so a container counts as a machine). The system's copy is not touched.
#
#   bash bench/audit/run.sh [RUNS]      (default 5; needs root for a fair oscap run)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-5}"
DS=/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml
for tool in /usr/bin/time oscap node; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install time openscap-scanner ssg-debian)"; exit 1; }; done
[ -f "$DS" ] || { echo "missing $DS (apt-get install ssg-debian)"; exit 1; }

TMP="$(mktemp -d /tmp/spyglass-bench-audit.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# --- the patched datastream
sed -e 's#\^11\.\[0-9\]+\$#^1[12].[0-9]+$#g' \
    -e 's#<unix:filepath datatype="string">/.dockerenv</unix:filepath>#<unix:filepath datatype="string">/.spyglass-bench-not-a-container</unix:filepath>#g' \
    -e 's#<unix:filepath datatype="string">/run/.containerenv</unix:filepath>#<unix:filepath datatype="string">/run/.spyglass-bench-not-a-container</unix:filepath>#g' \
    "$DS" > "$TMP/ssg-debian11-ds-patched.xml"
grep -q '\^1\[12\]' "$TMP/ssg-debian11-ds-patched.xml" || { echo "patch did not apply (datastream changed?)"; exit 1; }

# --- Spyglass, compiled (as installed), inside the repo so node_modules resolve
OUT=bench/out/audit-dist
rm -rf "$OUT" && npx tsc -p tsconfig.build.json --outDir "$OUT/dist" >/dev/null || true
[ -f "$OUT/dist/cli/main.js" ] || { echo "build failed"; exit 1; }
printf "import { main } from './dist/cli/main.js';\nmain(process.argv).then((c) => { process.exitCode = c; });\n" > "$OUT/spyglass.mjs"

measure() { # name, command...: appends "wall cpu rss" (s, s, KiB) to $TMP/<name>
  local name="$1"; shift
  /usr/bin/time -v -o "$TMP/time.txt" "$@" > "$TMP/$name.out" 2>"$TMP/$name.err" || true
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
    END { printf "%.3f %.3f %d\n", w, u + s, r }' "$TMP/time.txt" >> "$TMP/$name"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$2" '{ print $c }' "$TMP/$1" | median; }

for i in $(seq "$RUNS"); do
  measure oscap oscap xccdf eval --profile standard --results "$TMP/oscap-results.xml" "$TMP/ssg-debian11-ds-patched.xml"
  measure spyglass node "$OUT/spyglass.mjs" audit --profile profiles/debian-12.yaml --skip-tags filesystem-scan --format json --output "$TMP/spyglass.json"
  measure spyglass_scans node "$OUT/spyglass.mjs" audit --profile profiles/debian-12.yaml --format json --output "$TMP/spyglass-scans.json"
done

rules=$(grep -o '<result>[a-z]*</result>' "$TMP/oscap-results.xml" | grep -vc notselected || true)
applicable=$(grep -o '<result>\(pass\|fail\|error\|unknown\)</result>' "$TMP/oscap-results.xml" | wc -l)
controls=$(node -e "const r=require('$TMP/spyglass.json');console.log(r.summary.total)")
controls_scans=$(node -e "const r=require('$TMP/spyglass-scans.json');console.log(r.summary.total)")

ow=$(col oscap 1); oc=$(col oscap 2); orss=$(col oscap 3)
sw=$(col spyglass 1); sc=$(col spyglass 2); srss=$(col spyglass 3)
fw=$(col spyglass_scans 1); fc=$(col spyglass_scans 2); frss=$(col spyglass_scans 3)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

cat <<REPORT
Date: $(date -u +%Y-%m-%dT%H:%MZ)   Machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), Node $(node -v), $(oscap --version | head -1)
Median of $RUNS runs each. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).

| run | what | wall s | CPU s | peak RSS MiB |
|---|---|---|---|---|
| oscap xccdf eval --profile standard (patched ssg-debian11) | $rules rules selected, $applicable evaluated | $ow | $oc | $(awk -v r="$orss" 'BEGIN{printf "%.1f", r/1024}') |
| spyglass audit --skip-tags filesystem-scan | $controls controls | $sw | $sc | $(awk -v r="$srss" 'BEGIN{printf "%.1f", r/1024}') |
| spyglass audit (with the 3 filesystem scans) | $controls_scans controls | $fw | $fc | $(awk -v r="$frss" 'BEGIN{printf "%.1f", r/1024}') |

Ratios (oscap / spyglass without scans): wall $(ratio "$ow" "$sw")x faster, CPU $(ratio "$oc" "$sc")x less, peak RSS $(ratio "$orss" "$srss")x smaller (target: >= 10x wall, >= 3x RSS).
REPORT
