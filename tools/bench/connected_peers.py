#!/usr/bin/python3
"""scikit-image 0.19 (one core) on ConnectedBenchmarks' 2048² inputs (BenchImages.Relief and Scene rebuilt in NumPy):
the peer column for those rows.

    OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/connected_peers.py

Prints the median of a few runs per function, in milliseconds.
"""
import numpy as np
from peer_table import print_table
from skimage import morphology, exposure, util

n = 2048
v, u = np.mgrid[0:n, 0:n] / n
z = np.sin(u * 301) * np.cos(v * 257) + 0.5 * np.sin(u * 53 + v * 71)
relief = np.clip((z + 1.5) * 85, 0, 255).astype(np.uint8)
relief_float = relief.astype(np.float32) / 255
seed = morphology.erosion(relief, morphology.square(15))
blobs = np.where(np.sin(u * 23) * np.cos(v * 17) > 0.3, 0.5, 0)
scene = np.clip(0.3 * u + 0.2 * v + blobs, 0, 1).astype(np.float32)
rows = [
    ('reconstruction uint8 (opening by reconstruction)', lambda: morphology.reconstruction(seed, relief), 3),
    ('h_maxima 20 uint8', lambda: morphology.h_maxima(relief, 20), 3),
    ('local_maxima float32', lambda: morphology.local_maxima(relief_float), 3),
    ('flood tolerance 40 uint8', lambda: morphology.flood(relief, (1024, 1024), tolerance=40), 3),
    ('area_opening 64 uint8', lambda: morphology.area_opening(relief, 64), 1),
    ('area_closing 64 float32', lambda: morphology.area_closing(relief_float, 64), 1),
    ('diameter_opening 8 uint8', lambda: morphology.diameter_opening(relief, 8), 1),
    ('cumulative_distribution float32', lambda: exposure.cumulative_distribution(scene), 3),
    ('match_histograms uint8', lambda: exposure.match_histograms(relief, scene), 3),
    ('is_low_contrast float32', lambda: exposure.is_low_contrast(scene), 3),
    ('img_as_uint float32', lambda: util.img_as_uint(scene), 5),
]
print_table(rows)
