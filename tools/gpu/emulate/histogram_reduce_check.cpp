// Runs histogram.cu, reduce.cu and pointwise.cu kernels on the CPU emulator against straightforward host code.
#include "histogram.cu"
#include "reduce.cu"
#include "pointwise.cu"
#include "emu_main.h"
#include <random>
#include <cstdio>
#include <algorithm>
unsigned int hist_shared[1 << 16];
int main() {
  std::mt19937 rng(5); int bad = 0;
  for (int trial = 0; trial < 4; trial++) {
    long long n = 1 + rng() % 3000;
    std::vector<unsigned char> u8(n), mask(n); for (auto& v : u8) v = rng() % 256; for (auto& m : mask) m = rng() % 3 ? 1 : 0;
    std::vector<unsigned long long> counts(256, 0), want(256, 0);
    unsigned blocks = std::min<long long>((n + 255) / 256, 3);
    emu_launch({blocks, 1, 1}, {256, 1, 1}, [&] { hist_u8(u8.data(), mask.data(), n, counts.data()); });
    for (long long i = 0; i < n; i++) if (mask[i]) want[u8[i]]++;
    if (counts != want) { bad++; printf("hist_u8 differs\n"); }
    // float uniform
    int nbins = 1 + rng() % 50;
    std::vector<float> f(n); for (auto& v : f) v = (float)(rng() % 1000) / 7.0f - 20;
    float first = *std::min_element(f.begin(), f.end()), last = *std::max_element(f.begin(), f.end());
    std::vector<float> edges(nbins + 1); double lo = first, hi = last, step = (hi - lo) / nbins;
    for (int i = 0; i < nbins; i++) edges[i] = (float)(i * step + lo); edges[nbins] = last;
    float norm = (float)(nbins / (double)(edges[nbins] - edges[0]));
    std::vector<float> lower(nbins + 1), upper(nbins + 1);
    for (int k = 0; k < nbins; k++) { lower[k] = k == 0 ? -INFINITY : edges[k]; upper[k] = k == nbins - 1 ? INFINITY : edges[k + 1]; }
    for (int shared = 0; shared < 2; shared++) {
      std::vector<unsigned long long> fc(nbins, 0), fw(nbins, 0);
      emu_launch({blocks, 1, 1}, {256, 1, 1}, [&] { hist_uniform_f32(f.data(), nullptr, n, nbins, edges[0], edges[nbins], norm, lower.data(), upper.data(), fc.data(), shared); });
      for (long long i = 0; i < n; i++) { int k = std::upper_bound(edges.begin(), edges.end(), f[i]) - edges.begin() - 1; if (k == nbins) k--; fw[k]++; }
      if (fc != fw) { bad++; printf("hist_uniform differs shared=%d\n", shared); }
    }
    // min/max
    std::vector<double> partials(4 * blocks);
    emu_launch({blocks, 1, 1}, {256, 1, 1}, [&] { minmax_partials(f.data(), SCOPED_F32, mask.data(), n, partials.data()); });
    double mn = 1e300, mx = -1e300; for (long long i = 0; i < n; i++) if (mask[i]) { mn = std::min(mn, (double)f[i]); mx = std::max(mx, (double)f[i]); }
    double pm = 1e300, px = -1e300; for (unsigned b = 0; b < blocks; b++) if (partials[4*b+3]) { pm = std::min(pm, partials[4*b]); px = std::max(px, partials[4*b+1]); }
    if (pm != mn || px != mx) { bad++; printf("minmax differs %g %g vs %g %g\n", pm, px, mn, mx); }
    // mse rows
    int h = 1 + rng() % 5, rl = 1 + rng() % 600; std::vector<float> a(h * rl), b(h * rl); for (auto& v : a) v = rng() % 100 / 3.0f; for (auto& v : b) v = rng() % 100 / 3.0f;
    std::vector<unsigned char> ub(h * rl); for (auto& v : ub) v = rng() % 256;
    std::vector<double> rs(h), rs2(h);
    emu_launch({(unsigned)h, 1, 1}, {256, 1, 1}, [&] { mse_rows(a.data(), SCOPED_F32, b.data(), SCOPED_F32, rl, 1, rs.data()); });
    emu_launch({(unsigned)h, 1, 1}, {256, 1, 1}, [&] { mse_rows(a.data(), SCOPED_F32, ub.data(), SCOPED_U8, rl, 0, rs2.data()); });
    for (int y = 0; y < h; y++) { double s = 0, s2 = 0; for (int x = 0; x < rl; x++) { float d = a[y*rl+x] - b[y*rl+x]; s += (double)(d * d); double d2 = (double)a[y*rl+x] - ub[y*rl+x]; s2 += d2 * d2; }
      if (std::fabs(s - rs[y]) > 1e-12 * s || std::fabs(s2 - rs2[y]) > 1e-12 * s2) { bad++; printf("mse row %d: %.17g %.17g / %.17g %.17g\n", y, s, rs[y], s2, rs2[y]); } }
    // rescale u8 -> f64 and f32 -> u8 with NaN
    std::vector<float> fr = {-5, 0, 3.5f, NAN, 300, 255}; std::vector<unsigned char> out(6);
    emu_launch({1,1,1}, {256,1,1}, [&] { rescale_f32(fr.data(), out.data(), SCOPED_U8, 6, 0, 255, 0, 255, 255, 255, 0); });
    unsigned char expect[6] = {0, 0, 3, 0, 255, 255};
    for (int i = 0; i < 6; i++) if (out[i] != expect[i]) { bad++; printf("rescale %d: %d\n", i, out[i]); }
  }
  printf("red bad=%d\n", bad);
  return bad != 0;
}
