#!/usr/bin/python3
"""scikit-image 0.19 (one core) on ThresholdAndMeasureBenchmarks' 2048² inputs (BenchImages.Scene rebuilt in NumPy:
blobs on a gradient, float32; its bytes x 255; its mask > 0.5): the peer column for those rows.

    OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/measure_peers.py

Prints the median of a few runs per function, in milliseconds.
"""
import numpy as np
from peer_table import print_table
from skimage import filters, measure

n = 2048
v, u = np.mgrid[0:n, 0:n] / n
blobs = np.where(np.sin(u * 23) * np.cos(v * 17) > 0.3, 0.5, 0)
scene = np.clip(0.3 * u + 0.2 * v + blobs, 0, 1).astype(np.float32)
bytes_ = np.clip(scene * 255, 0, 255).astype(np.uint8)
mask = scene > 0.5
rows = [
    ('threshold_isodata uint8', lambda: filters.threshold_isodata(bytes_), 5),
    ('threshold_triangle float32', lambda: filters.threshold_triangle(scene), 5),
    ('threshold_multiotsu 3 classes uint8', lambda: filters.threshold_multiotsu(bytes_), 5),
    ('threshold_niblack 15 float32', lambda: filters.threshold_niblack(scene), 3),
    ('threshold_sauvola 15 uint8', lambda: filters.threshold_sauvola(bytes_), 3),
    ('moments_central float32', lambda: measure.moments_central(scene), 5),
    ('euler_number mask', lambda: measure.euler_number(mask), 3),
    ('perimeter mask', lambda: measure.perimeter(mask), 3),
    ('perimeter_crofton mask', lambda: measure.perimeter_crofton(mask), 3),
    ('shannon_entropy uint8', lambda: measure.shannon_entropy(bytes_), 3),
]
print_table(rows)
