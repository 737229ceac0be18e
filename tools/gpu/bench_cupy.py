#!/usr/bin/env python3
"""CuPy's cupyx.scipy.ndimage on the same cases as `dotnet Scoped.Gpu.Benchmarks.dll`, timed the same way.

Device-resident uniform random float32 images; for each case a warm-up call, then batches of calls each timed by two
CUDA events, and the median per-call time. Also the device-to-device copy bandwidth. Writes one tab-separated line per
case (function, size, milliseconds, bytes moved, note) for tools/gpu/report.py.

    python3 tools/gpu/bench_cupy.py [--sizes 4096,8192] [--batches 15] [--per-batch 10] [--out FILE]
"""
import argparse
import statistics
import sys


def median_ms(cp, call, batches, per_batch):
    call()  # warm-up: kernel compilation and the memory pool
    cp.cuda.get_current_stream().synchronize()
    start, end = cp.cuda.Event(), cp.cuda.Event()
    times = []
    for _ in range(batches):
        start.record()
        for _ in range(per_batch):
            call()
        end.record()
        end.synchronize()
        times.append(cp.cuda.get_elapsed_time(start, end) / per_batch)
    return statistics.median(times)


def zoom(ndi, x, factor):
    # scikit-image's resize is ndimage.zoom with grid_mode=True and 'reflect' -> 'mirror'; older CuPy lacks grid_mode.
    try:
        return ndi.zoom(x, factor, order=1, mode="mirror", grid_mode=True)
    except TypeError:
        return ndi.zoom(x, factor, order=1, mode="mirror")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="4096,8192")
    parser.add_argument("--batches", type=int, default=15)
    parser.add_argument("--per-batch", type=int, default=10)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    try:
        import cupy as cp
        from cupyx.scipy import ndimage as ndi
    except ImportError as error:
        print(f"CuPy is not installed here ({error}); no CuPy timings", file=sys.stderr)
        return 3

    props = cp.cuda.runtime.getDeviceProperties(cp.cuda.Device().id)
    name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    print(f"CuPy {cp.__version__} on {name}, CUDA runtime {cp.cuda.runtime.runtimeGetVersion()}", flush=True)

    out = open(args.out, "w") if args.out else None

    def report(function, size, ms, moved, note=""):
        line = "\t".join([function, str(size), "nan" if ms != ms else repr(ms), str(moved), note])
        if out:
            out.write(line + "\n")
            out.flush()
        rate = "" if ms != ms else f"{moved / (ms * 1e6):.1f} GB/s"
        shown = "-" if ms != ms else f"{ms:.3f}"
        print(f"  {function:<12} {size:>6}  {shown:>9} ms  {rate:>12}  {note}", flush=True)

    # The device's own copy bandwidth: bytes read + written by one 1 GiB device-to-device copy.
    copy_bytes = 1 << 30
    a = cp.random.randint(0, 255, copy_bytes, dtype=cp.uint8)
    b = cp.empty_like(a)
    ms = median_ms(cp, lambda: b.data.copy_from_device_async(a.data, copy_bytes), args.batches, args.per_batch)
    report("copy", copy_bytes >> 20, ms, 2 * copy_bytes, "device-to-device copy of 1 GiB (size column in MiB)")
    del a, b

    footprint = cp.ones((3, 3), dtype=bool)
    cases = [
        ("gaussian", lambda x: ndi.gaussian_filter(x, 2, mode="nearest", truncate=4.0), lambda n: 2 * n),
        ("sobel", lambda x: cp.hypot(ndi.sobel(x, axis=0, mode="reflect"), ndi.sobel(x, axis=1, mode="reflect")), lambda n: 2 * n),
        ("median3x3", lambda x: ndi.median_filter(x, size=3, mode="nearest"), lambda n: 2 * n),
        ("erosion3x3", lambda x: ndi.grey_erosion(x, footprint=footprint, mode="reflect"), lambda n: 2 * n),
        ("resize_x0.5", lambda x: zoom(ndi, x, 0.5), lambda n: n + n // 4),
        ("resize_x2", lambda x: zoom(ndi, x, 2.0), lambda n: n + 4 * n),
        ("rotate30", lambda x: ndi.rotate(x, 30, order=1, reshape=False, mode="constant"), lambda n: 2 * n),
    ]
    for size in [int(s) for s in args.sizes.split(",")]:
        x = cp.random.random((size, size), dtype=cp.float32)
        nbytes = x.nbytes
        for function, call, moved in cases:
            try:
                ms = median_ms(cp, lambda: call(x), args.batches, args.per_batch)
                report(function, size, ms, moved(nbytes))
            except Exception as error:  # one case failing must not lose the others
                report(function, size, float("nan"), moved(nbytes), f"{type(error).__name__}: {error}".replace("\t", " ").splitlines()[0])
            cp.get_default_memory_pool().free_all_blocks()
        del x
    if out:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
