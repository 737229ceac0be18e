#!/usr/bin/env bash
# Every test pass, on a fresh machine that has the .NET SDK, then one line "N passed, N failed" (exit code 0 when all
# passed). The passes (README: Set-up):
#   1. default   the whole solution's tests on the built-in backends
#   2. parallel  the same, every image call inside Backend.Use("parallel", only: true)
#   3. contoso   Scoped.Tests on the third-party example backend, found by discovery in its build folder
#   4. gpu       Scoped.Tests on the GPU backend, its CUDA C kernels compiled by g++ and run on the CPU
# Python is not needed: the scikit-image reference outputs are committed under Scoped.Tests/Fixtures.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null 2>&1; then
    echo "tools/test.sh: the .NET 10 SDK (dotnet) is needed and is not on PATH" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# Packages some tests use, installed where this script may (root or password-less sudo, apt-get); without them those
# tests are skipped (inconclusive), never failed: g++ for the emulated GPU pass, tifffile and libtiff's tools for the
# TIFF tests that check other programs read what Scoped writes.
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
/usr/bin/python3 -c "import tifffile" >/dev/null 2>&1 || missing+=(python3-tifffile)
command -v tiffcp >/dev/null 2>&1 || missing+=(libtiff-tools)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
        echo "tools/test.sh: installing ${missing[*]}" >&2
        $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
            || echo "tools/test.sh: could not install ${missing[*]}; the tests that need them will be skipped" >&2
    else
        echo "tools/test.sh: ${missing[*]} not installed and cannot be installed here; the tests that need them will be skipped" >&2
    fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
pass() {   # pass NAME COMMAND...: runs one pass, keeps its output for the count, remembers the first failure
    local name=$1; shift
    echo "== tools/test.sh: $name pass" | tee -a "$log"
    "$@" 2>&1 | tee -a "$log"
    local rc=${PIPESTATUS[0]}
    if [ "$status" -eq 0 ]; then status=$rc; fi
}

# The first pass builds the solution (examples/CustomBackend included, which the contoso pass loads); the rest reuse it.
pass default dotnet test
pass parallel env SCOPED_TEST_BACKEND=parallel dotnet test --no-build
pass contoso env SCOPED_BACKEND_PATH="$PWD/examples/CustomBackend/bin/Debug/net10.0" SCOPED_TEST_BACKEND=contoso \
    dotnet test --no-build --project Scoped.Tests/Scoped.Tests.csproj
pass gpu env SCOPED_TEST_BACKEND=gpu SCOPED_GPU_EMULATE=1 dotnet test --no-build --project Scoped.Tests/Scoped.Tests.csproj

# Microsoft.Testing.Platform prints, per test assembly and pass, "succeeded: N" and "failed: N".
passed=$(grep -E '^\s*succeeded:\s*[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s*failed:\s*[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or runner failure counts as a failure
echo "$passed passed, $failed failed"
exit "$status"
