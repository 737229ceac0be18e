"""tifffile on the image TiffBenchmarks uses: a 2048² uint16 scene in 256-pixel zlib tiles with the horizontal
predictor, written and read in memory. Run with Debian's /usr/bin/python3 (python3-tifffile) in the same sitting as
  dotnet run -c Release --project Scoped.Benchmarks -- --filter '*TiffBenchmarks*'
and compare medians. Give it the benchmark's own image for a fair pair (codec speed depends on content):
  dotnet Scoped.Benchmarks/bin/Release/net10.0/Scoped.Benchmarks.dll scene-u16 /tmp/scene.npy
  /usr/bin/python3 tools/bench/tiff_peers.py /tmp/scene.npy
Without it, a seeded random image of the same size is used."""
import io
import sys
import timeit
import numpy as np
import tifffile

size = 2048
image = np.load(sys.argv[1]) if len(sys.argv) > 1 else (np.random.default_rng(0).random((size, size)) * 65535).astype(np.uint16)
options = dict(tile=(256, 256), compression='zlib', predictor=True)


def write():
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, image, **options)
    return buffer


data = write().getvalue()


def read():
    return tifffile.imread(io.BytesIO(data))


for name, f in [('write', write), ('read', read)]:
    times = timeit.repeat(f, number=1, repeat=15)
    print(f'tifffile {name}: median {np.median(times) * 1e3:.1f} ms (min {min(times) * 1e3:.1f})')
