#!/usr/bin/env bash
# Packs every library and the kafka-dlt tool and checks what a package feed needs: one version for all packages, the
# readme (PACKAGE.md), the LICENSE file and MIT license expression, the repository URL, SourceLink information and a
# .snupkg symbol package beside each .nupkg. Usage: bash scripts/check-packages.sh [output folder, default /tmp/pk]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/pk}"
rm -rf "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet pack Pipeline.sln -c Release -o "$out" -nologo -v quiet
python3 - "$out" <<'PY'
import glob, os, re, sys, zipfile
out = sys.argv[1]
expected = {"KafkaPipeline", "KafkaPipeline.ErrorHandling", "KafkaPipeline.Testing", "KafkaPipeline.Deduplication.Redis",
            "KafkaPipeline.Deduplication.PostgreSql", "KafkaPipeline.DeadLetters", "KafkaPipeline.Cli"}
problems, versions, found = [], set(), set()
for path in sorted(glob.glob(os.path.join(out, "*.nupkg"))):
    name = os.path.basename(path)
    m = re.match(r"(.+?)\.(\d+\.\d+\.\d+(?:-[\w.]+)?)\.nupkg$", name)
    package, version = m.group(1), m.group(2)
    found.add(package)
    versions.add(version)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        nuspec = z.read(next(n for n in names if n.endswith(".nuspec"))).decode()
        for required in ("PACKAGE.md", "LICENSE"):
            if required not in names:
                problems.append(f"{name}: {required} missing")
        checks = {
            "readme": "<readme>PACKAGE.md</readme>",
            "license expression": '<license type="expression">MIT</license>',
            "repository url": 'url="https://github.com/kafkapipeline/kafkapipeline"',
        }
        for what, text in checks.items():
            if text not in nuspec:
                problems.append(f"{name}: {what} missing from the nuspec")
        if not re.search(r'<repository type="git" url="[^"]+"[^>]*commit="[0-9a-f]{40}"', nuspec):
            problems.append(f"{name}: repository commit (SourceLink) missing from the nuspec")
        dlls = [n for n in names if n.endswith(".dll") and n.startswith(("lib/", "tools/"))]
        if not dlls:
            problems.append(f"{name}: no assembly")
        if package != "KafkaPipeline.Cli" and not any(n.endswith(".xml") for n in names):
            problems.append(f"{name}: no XML documentation")
    if not os.path.exists(path[:-len(".nupkg")] + ".snupkg"):
        problems.append(f"{name}: no .snupkg symbol package")
if found != expected:
    problems.append(f"packages {sorted(found)}; expected {sorted(expected)}")
if len(versions) != 1:
    problems.append(f"several versions: {sorted(versions)}")
for p in problems:
    print("check-packages:", p)
print(f"check-packages: {len(found)} packages at {', '.join(sorted(versions))}: {'OK' if not problems else 'FAILED'}")
sys.exit(1 if problems else 0)
PY
