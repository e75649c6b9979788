#!/usr/bin/env bash
# Whole-process time of `spyglass query` against the native tool for the same facts, in the
# same hyperfine run, then in-process latency. Builds the CLI to bench/query/.dist first
# (compiled JavaScript, as installed; not tsx). Results: bench/query/out/*.json and stdout.
# Usage: bash bench/query/run.sh   (from the repository root; needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/query/out
mkdir -p "$out"
npx tsc -p tsconfig.build.json --outDir bench/query/.dist >/dev/null 2>&1 || true  # others' in-progress type errors still emit JS
cli="node bench/query/.dist/cli/main-entry.mjs"
cat > bench/query/.dist/cli/main-entry.mjs <<'JS'
import { main } from './main.js';
main(process.argv).then((code) => { process.exitCode = code; });
JS
bench() { # name, spyglass SQL, native command
  local name=$1 sql=$2 native=$3
  if ! $cli query "$sql" --format csv >/dev/null 2>"$out/$name.err"; then
    echo "$name: skipped: $(head -1 "$out/$name.err")"; return
  fi
  hyperfine -N --warmup 3 --runs 30 --export-json "$out/$name.json" \
    -n "spyglass $name" "$cli query \"$sql\" --format csv" \
    -n "native $name" "$native" >/dev/null
  node -e '
    const r = require(process.argv[1]).results;
    const [s, n] = r.map((x) => x.median * 1000);
    console.log(`${process.argv[2]}: spyglass ${s.toFixed(1)} ms, native ${n.toFixed(1)} ms, ratio ${(s / n).toFixed(2)}x`);
  ' "$PWD/$out/$name.json" "$name"
}
bench processes "SELECT pid, name, path, cmdline, uid FROM processes" "ps -eo pid,comm,args,uid"
bench listening_ports "SELECT pid, port, protocol, address FROM listening_ports" "ss -ltnup"
bench deb_packages "SELECT name, version, arch FROM deb_packages" "dpkg-query -W"
bench users "SELECT username, uid, gid, directory, shell FROM users" "getent passwd"
hyperfine -N --warmup 3 --runs 30 --export-json "$out/node-startup.json" -n "node -e 0" "node -e 0" >/dev/null
node -e 'console.log(`node startup alone: ${(require(process.argv[1]).results[0].median * 1000).toFixed(1)} ms`)' "$PWD/$out/node-startup.json"
echo "in-process (warm engine):"
node --import tsx bench/query/in-process.ts 50
echo "schedule worker process:"
node bench/query/worker-cost.mjs
