#!/usr/bin/python3
"""scikit-image 0.19 (one core) on MeasureAndColourBenchmarks' 2048² inputs (BenchImages.Scene and Relief rebuilt in
NumPy): the peer column for those rows, and OpenCV's findContours and CLAHE on the same inputs for comparison.

    OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/measure_colour_peers.py

Prints the median of a few runs per function, in milliseconds.
"""
import numpy as np
import cv2
from peer_table import print_table
from skimage import color, exposure, measure, morphology

cv2.setNumThreads(1)
n = 2048
v, u = np.mgrid[0:n, 0:n] / n
z = np.sin(u * 301) * np.cos(v * 257) + 0.5 * np.sin(u * 53 + v * 71)
relief = np.clip((z + 1.5) * 85, 0, 255).astype(np.uint8)
relief_float = relief.astype(np.float32) / 255
blobs = np.where(np.sin(u * 23) * np.cos(v * 17) > 0.3, 0.5, 0)
scene = np.clip(0.3 * u + 0.2 * v + blobs, 0, 1).astype(np.float32)
rgb = np.dstack([scene, relief_float, 1 - scene]).astype(np.float32)
lab = color.rgb2lab(rgb)
lab2 = color.rgb2lab(np.ascontiguousarray(rgb[..., [1, 2, 0]]))
mask = scene > 0.5
labels = measure.label(relief > 170)
props = ['label', 'area', 'area_bbox', 'area_convex', 'area_filled', 'axis_major_length', 'axis_minor_length', 'bbox',
         'centroid', 'eccentricity', 'equivalent_diameter_area', 'euler_number', 'extent', 'inertia_tensor', 'orientation',
         'perimeter', 'solidity', 'intensity_mean', 'moments_hu', 'feret_diameter_max']
print(f'{labels.max()} objects in the regionprops_table labels')
mask_u8 = (relief > 127).astype(np.uint8)
rows = [
    ('rgb2lab float32', lambda: color.rgb2lab(rgb), 3),
    ('rgb2hed float32', lambda: color.rgb2hed(rgb), 3),
    ('deltaE_ciede2000 float32', lambda: color.deltaE_ciede2000(lab, lab2), 3),
    ('label2rgb overlay on grey', lambda: color.label2rgb(labels, scene), 3),
    ('find_contours 0.5 (relief)', lambda: measure.find_contours(relief_float, 0.5), 1),
    ('cv2.findContours relief > 127 (RETR_LIST, CHAIN_APPROX_NONE)',
     lambda: cv2.findContours(mask_u8, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE), 5),
    ('block_reduce mean 4x4 float32', lambda: measure.block_reduce(scene, 4, np.mean), 3),
    ('convex_hull_image mask', lambda: morphology.convex_hull_image(mask), 3),
    ('convex_hull_object mask', lambda: morphology.convex_hull_object(mask), 1),
    ('thin mask', lambda: morphology.thin(mask), 1),
    ('equalize_adapthist uint8 (8x8 tiles, clip 0.01)', lambda: exposure.equalize_adapthist(relief), 1),
    # OpenCV's CLAHE: 8x8 tiles, its clip limit in multiples of the mean bin (0.01 of a tile is 2.56 of 256 bins).
    ('cv2.createCLAHE(2.56, (8, 8)).apply uint8', lambda: cv2.createCLAHE(2.56, (8, 8)).apply(relief), 5),
    ('regionprops_table 20 properties', lambda: measure.regionprops_table(labels, scene, properties=props), 1),
]
print_table(rows)
