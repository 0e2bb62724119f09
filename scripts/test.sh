#!/usr/bin/env bash
# Runs every test of KafkaPipeline on a fresh machine: installs and starts what the tests need
# (Redis and PostgreSQL on loopback), builds the solution, runs all test projects and prints a
# final "N passed, N failed" line. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -f scripts/services.sh ]; then
  bash scripts/services.sh || { echo "scripts/services.sh failed: Redis/PostgreSQL are not available"; echo "0 passed, 1 failed"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
dotnet build Pipeline.sln -c Release -nologo -v quiet 2>&1 | tee "$log" | grep -E "error|Build succeeded" | sort -u
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "Build failed; see errors above."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Pipeline.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries: "Passed!  - Failed: 0, Passed: 34, Skipped: 0, Total: 34 ..."
passed=$(grep -E "^(Passed|Failed)! +- Failed:" "$log" | sed -E 's/.*Passed: *([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E "^(Passed|Failed)! +- Failed:" "$log" | sed -E 's/.*Failed: *([0-9]+), Passed.*/\1/' | awk '{s+=$1} END {print s+0}')
passed=${passed:-0}
failed=${failed:-0}
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without reporting a failed test (a test host crashed or a project did not run)."
  failed=1
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
