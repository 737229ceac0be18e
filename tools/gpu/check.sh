#!/usr/bin/env bash
# The whole GPU check in one command, on a machine with an NVIDIA GPU:
#   1. the device and driver;
#   2. the image test suite and the GPU tests with SCOPED_TEST_BACKEND=gpu (every image call in an interop scope on
#      the gpu backend, compared with the scikit-image fixtures);
#   3. benchmarks at 4096² and 8192² float32, ours (Scoped.Gpu.Benchmarks) and CuPy's (bench_cupy.py), with the
#      device's copy bandwidth, printed as one table (report.py).
#
#   bash tools/gpu/check.sh            # from the repository root
#
# It runs either with the .NET SDK (it builds Release itself) or, on a machine with CUDA but no .NET, from a pack made
# beforehand on a machine with the SDK:   ../shared/tools/device-pack.sh Scoped.Tests Scoped.Gpu.Benchmarks
# (which leaves .device/ in the repository root; take it along). SCOPED_GPU_USE_PACK=1 prefers the pack over the SDK.
# Results and logs (seven files) go to $SCOPED_GPU_OUT, else $OUT, else /tmp/scoped-gpu-check. Exit status: 0 when the tests pass
# (benchmark shortfalls are reported, not failed), 1 when tests fail, 2 when something needed is missing.
# Each step has a time limit (tests 5 min, each benchmark 2 min) so that a run from a pack ends within 10 minutes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${SCOPED_GPU_OUT:-${OUT:-/tmp/scoped-gpu-check}}
mkdir -p "$out"
export SCOPED_GPU_CACHE=${SCOPED_GPU_CACHE:-/tmp/scoped-gpu-kernels}   # compiled kernels, reused by the later steps
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYTHONUNBUFFERED=1
sizes=${SCOPED_GPU_SIZES:-4096,8192}
step() { printf '\n=== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
die() { printf 'check.sh: %s\n' "$*" >&2; exit 2; }

step "device"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader \
    || nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
    || echo "nvidia-smi could not query the GPU"
else
  echo "nvidia-smi is not on PATH; the .NET runtime below reports the device itself"
fi

# --- .NET: the SDK (build here) or the pack (.device/) -------------------------------------------------------------
has_sdk() { command -v dotnet >/dev/null 2>&1 && [ -n "$(dotnet --list-sdks 2>/dev/null)" ]; }
if [ -f .device/env.sh ] && { [ "${SCOPED_GPU_USE_PACK:-0}" = 1 ] || ! has_sdk; }; then
  step "using the pack in .device/"
  # env.sh is written for an interactive shell: source it without this script's strict modes.
  # shellcheck disable=SC1091
  set +euo pipefail; source .device/env.sh; set -euo pipefail
  command -v dotnet >/dev/null 2>&1 || die ".device/env.sh did not put dotnet on PATH (is /opt writable here?)"
  tests=.device/Scoped.Tests/Scoped.Tests.dll
  bench=.device/Scoped.Gpu.Benchmarks/Scoped.Gpu.Benchmarks.dll
  [ -f "$tests" ] || die "$tests is missing: make the pack with ../shared/tools/device-pack.sh Scoped.Tests Scoped.Gpu.Benchmarks"
  [ -f "$bench" ] || die "$bench is missing: make the pack with ../shared/tools/device-pack.sh Scoped.Tests Scoped.Gpu.Benchmarks"
elif has_sdk; then
  step "building with the .NET SDK ($(dotnet --version))"
  # The driver and NVRTC are probed in the usual folders by the backend itself; these help the system's own search.
  for d in /usr/local/nvidia/lib64 /usr/local/cuda/lib64; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  done
  dotnet build Scoped.Tests/Scoped.Tests.csproj -c Release -nologo -v quiet
  dotnet build Scoped.Gpu.Benchmarks/Scoped.Gpu.Benchmarks.csproj -c Release -nologo -v quiet
  tests=Scoped.Tests/bin/Release/net10.0/Scoped.Tests.dll
  bench=Scoped.Gpu.Benchmarks/bin/Release/net10.0/Scoped.Gpu.Benchmarks.dll
else
  die "no .NET SDK here and no .device/ pack: on a machine with the SDK run ../shared/tools/device-pack.sh Scoped.Tests Scoped.Gpu.Benchmarks in the repository root and bring .device/ along"
fi
command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"

step "the gpu backend's view of the device"
# Without a usable device every GPU test would merely be skipped: stop here, with the backend's reason.
dotnet "$bench" --probe || die "the gpu backend cannot use this machine's GPU (reason above)"

# --- tests -----------------------------------------------------------------------------------------------------------
step "image suite and GPU tests with SCOPED_TEST_BACKEND=gpu"
# Only the image suite (Scoped.Tests.Image) and the GPU tests: the rest (discovery samples, the custom-backend example,
# packaging) needs folders that a published test directory lacks, and does not touch the GPU.
tests_status=0
SCOPED_TEST_BACKEND=gpu timeout 300 dotnet "$tests" \
  --filter "FullyQualifiedName~Scoped.Tests.Image|FullyQualifiedName~Scoped.Tests.Gpu" \
  --results-directory /tmp/scoped-gpu-test-results 2>&1 | tee "$out/tests.log" || tests_status=$?
# Functions the backend does not implement show as skipped with the dispatcher's reason; failures are real
# differences from scikit-image (or device errors). Count the skips per function, list the failures.
{ echo "skipped, per function the gpu backend does not run:"
  grep -oE "Backend 'gpu' does not implement [a-z._]+:[a-z_0-9]+" "$out/tests.log" | sed -E 's/.* //' | sort | uniq -c | sort -rn || true
  echo "failed:"
  grep -E '^failed ' "$out/tests.log" | sed -E 's/ \([0-9][^)]*\)$//' | sort | uniq -c || true
} > "$out/tests-summary.txt"

# --- benchmarks ------------------------------------------------------------------------------------------------------
step "benchmark: ours (sizes $sizes)"
bench_status=0
timeout 120 dotnet "$bench" --sizes "$sizes" --out "$out/ours.tsv" 2>&1 | tee "$out/bench-ours.log" || bench_status=$?
[ "$bench_status" = 0 ] || echo "our benchmark exited with $bench_status (see $out/bench-ours.log)"

step "benchmark: CuPy"
python=${PYTHON:-python3}
cupy_status=0
timeout 120 "$python" tools/gpu/bench_cupy.py --sizes "$sizes" --out "$out/cupy.tsv" 2>&1 | tee "$out/bench-cupy.log" || cupy_status=$?
[ "$cupy_status" = 0 ] || echo "the CuPy benchmark exited with $cupy_status (see $out/bench-cupy.log)"

# --- summary ---------------------------------------------------------------------------------------------------------
step "summary"
echo "tests: $(grep -E '^\s*(total|failed|succeeded|skipped):' "$out/tests.log" | tr -s ' ' | tr '\n' ' ')(exit $tests_status)"
head -n 60 "$out/tests-summary.txt"
"$python" tools/gpu/report.py "$out/ours.tsv" "$out/cupy.tsv" | tee "$out/table.txt" || true
echo "logs and results: $out"
[ "$tests_status" = 0 ] || exit 1
