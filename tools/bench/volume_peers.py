#!/usr/bin/python3
"""scikit-image 0.19 (one core) on VolumeBenchmarks' 256³ volume: the peer column of issue 14's speed rows.

    dotnet Scoped.Benchmarks/bin/Release/net10.0/Scoped.Benchmarks.dll volume-npy /tmp/vol
    OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/volume_peers.py /tmp/vol

Prints the median of a few runs per function, in milliseconds, and numpy's copy of the volume (the bandwidth floor).
"""
import os
import sys
import numpy as np
from peer_table import print_table
from skimage import filters, morphology, transform, measure

d = sys.argv[1]
vol = np.load(os.path.join(d, 'volume.npy'))
blobs = np.load(os.path.join(d, 'blobs.npy'))
ball1 = morphology.ball(1)
rows = [
    ('copy 256³ f32', lambda: vol.copy(), 7),
    ('gaussian sigma=2', lambda: filters.gaussian(vol, 2), 5),
    ('median 3x3x3', lambda: filters.median(vol), 3),
    ('erosion ball(1)', lambda: morphology.erosion(vol, ball1), 3),
    ('sobel', lambda: filters.sobel(vol), 3),
    ('resize to 128³', lambda: transform.resize(vol, (128, 128, 128)), 3),
    ('label 26-conn', lambda: measure.label(blobs, connectivity=3), 3),
]
print_table(rows)
