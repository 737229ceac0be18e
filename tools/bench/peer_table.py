"""The peers' table: each function run a few times, its median printed as a markdown row (milliseconds)."""
import time
import numpy as np


def print_table(rows, title='scikit-image 0.19 (ms)'):
    """rows: (name, callable, runs). Prints | name | median |, one row at a time as each finishes."""
    print(f'| function | {title} |')
    print('| --- | ---: |')
    for name, fn, n in rows:
        times = []
        for _ in range(n):
            t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
        print(f'| {name} | {np.median(times):.1f} |', flush=True)
