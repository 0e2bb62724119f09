#!/usr/bin/env bash
# Adds every public member the build reports as undeclared (RS0016) to PublicAPI.Unshipped.txt of its project, creating
# the two API files of a new library project. Run after adding public API on purpose; review the diff of the files.
# Removed members (RS0017) are reported by the build; delete their lines by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/*/; do
  if ! grep -q "<PackAsTool>true" "$project"*.csproj 2>/dev/null; then
    for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
      [ -f "$project$file" ] || printf '#nullable enable\n' > "$project$file"
    done
  fi
done
log=$(mktemp)
dotnet build Pipeline.sln -c Release -nologo -v quiet > "$log" 2>&1 || true
python3 - "$log" "$PWD" <<'PY'
import collections, re, sys
log, root = sys.argv[1], sys.argv[2].rstrip("/") + "/"
found = collections.defaultdict(set)
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.search(r"(src/[^/]+)/\S+\.cs\(\d+,\d+\): error RS0016: Symbol '(.*?)' is not part of the declared public API", line)
    if m:
        found[m.group(1)].add(m.group(2))
for project, symbols in sorted(found.items()):
    path = root + project + "/PublicAPI.Unshipped.txt"
    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l and not l.startswith("#")]
    merged = sorted(set(lines) | symbols, key=str.lower)
    open(path, "w", encoding="utf-8").write("#nullable enable\n" + "\n".join(merged) + "\n")
    print(f"{project}: {len(symbols)} added")
if not found:
    print("no undeclared public API")
PY
rm -f "$log"
