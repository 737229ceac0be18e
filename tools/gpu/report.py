#!/usr/bin/env python3
"""Prints the GPU benchmark table from the files written by `Scoped.Gpu.Benchmarks.dll --out` and bench_cupy.py --out.

    python3 tools/gpu/report.py ours.tsv cupy.tsv

Columns: function, size, our median ms, CuPy's, ours / CuPy (below 1 is faster), the bandwidth we achieve (bytes read
+ written once over time) and that as a percentage of the device's measured copy bandwidth (our 1 GiB device-to-device
copy). Targets (issue 5): no slower than CuPy, and the memory-bound filters at 60% or more of copy bandwidth.
"""
import sys

MEMORY_BOUND = {"gaussian", "sobel", "erosion3x3"}


def read(path):
    rows = {}
    try:
        with open(path) as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 4:
                    continue
                function, size, ms, moved = parts[:4]
                note = parts[4] if len(parts) > 4 else ""
                rows[(function, int(size))] = (float(ms), int(moved), note)
    except FileNotFoundError:
        pass
    return rows


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ours, cupy = read(sys.argv[1]), read(sys.argv[2])
    if not ours and not cupy:
        print("no benchmark results to report", file=sys.stderr)
        return 1

    def bandwidth(rows):
        copy = [value for key, value in rows.items() if key[0] == "copy"]
        if not copy or copy[0][0] != copy[0][0]:
            return None
        ms, moved, _ = copy[0]
        return moved / (ms * 1e6)

    copy_ours, copy_cupy = bandwidth(ours), bandwidth(cupy)
    print()
    print(f"copy bandwidth (bytes read + written / time): ours {copy_ours or float('nan'):.0f} GB/s, "
          f"CuPy {copy_cupy or float('nan'):.0f} GB/s")
    header = f"{'function':<12} {'size':>6} {'ours ms':>9} {'CuPy ms':>9} {'ratio':>6} {'GB/s':>7} {'% copy':>7}  target"
    print(header)
    print("-" * len(header))
    keys = sorted({k for k in list(ours) + list(cupy) if k[0] != "copy"}, key=lambda k: (k[1], k[0]))
    misses = 0
    for function, size in keys:
        o = ours.get((function, size), (float("nan"), 0, "not run"))
        c = cupy.get((function, size), (float("nan"), 0, "not run"))
        ours_ms, moved, note = o
        cupy_ms = c[0]
        ratio = ours_ms / cupy_ms if ours_ms == ours_ms and cupy_ms == cupy_ms and cupy_ms > 0 else float("nan")
        gbps = moved / (ours_ms * 1e6) if ours_ms == ours_ms and ours_ms > 0 else float("nan")
        share = 100 * gbps / copy_ours if copy_ours and gbps == gbps else float("nan")
        verdict = []
        if ratio == ratio:
            verdict.append("ok" if ratio <= 1.0 else "slower than CuPy")
        if function in MEMORY_BOUND and share == share:
            verdict.append("ok" if share >= 60 else "under 60% of copy")
        if any(v != "ok" for v in verdict) or ours_ms != ours_ms:
            misses += 1
        if ours_ms != ours_ms:
            verdict = [f"ours: {note}"]
        print(f"{function:<12} {size:>6} {ours_ms:>9.3f} {cupy_ms:>9.3f} {ratio:>6.2f} {gbps:>7.0f} {share:>6.0f}%  {', '.join(verdict)}")
    print()
    print(f"{len(keys) - misses} of {len(keys)} rows meet the targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
