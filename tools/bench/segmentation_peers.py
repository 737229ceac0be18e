#!/usr/bin/python3
"""scikit-image 0.19 (one core) on SegmentationBenchmarks' 2048² inputs: the peer column for issue 17's rows.

    dotnet Scoped.Benchmarks/bin/Release/net10.0/Scoped.Benchmarks.dll segmentation-npy /tmp/seg
    OMP_NUM_THREADS=1 /usr/bin/python3 tools/bench/segmentation_peers.py /tmp/seg

Prints the median of a few runs per function, in milliseconds.
"""
import os
import sys
import numpy as np
from peer_table import print_table
from skimage import segmentation

d = sys.argv[1]
relief = np.load(os.path.join(d, 'relief.npy'))
markers = np.load(os.path.join(d, 'markers.npy'))
labels = np.load(os.path.join(d, 'labels.npy'))
rows = [
    ('watershed 2000 seeds', lambda: segmentation.watershed(relief, markers), 3),
    ('watershed watershed_line', lambda: segmentation.watershed(relief, markers, watershed_line=True), 3),
    ('watershed compactness 0.001', lambda: segmentation.watershed(relief, markers, compactness=0.001), 3),
    ('clear_border', lambda: segmentation.clear_border(labels), 5),
    ('find_boundaries thick', lambda: segmentation.find_boundaries(labels), 5),
    ('expand_labels distance 3', lambda: segmentation.expand_labels(labels, 3), 3),
    ('relabel_sequential offset 5', lambda: segmentation.relabel_sequential(labels, 5), 5),
]
print_table(rows)
