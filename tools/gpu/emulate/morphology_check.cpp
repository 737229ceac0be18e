// Runs morphology.cu's tiled and separable min/max kernels on the CPU emulator against a direct loop over the footprint.
#include "morphology.cu"
#include "emu_main.h"
#include <random>
#include <cstdio>
double morph_shared[1 << 16];
int main() {
  std::mt19937 rng(3); int bad = 0;
  for (int trial = 0; trial < 12; trial++) {
    int w = 1 + rng() % 70, h = 1 + rng() % 30, mode = rng() % 5;
    int fr = 1 + rng() % 6, fc = 1 + rng() % 6; int cr = rng() % fr, cc = rng() % fc;
    std::vector<int> fp(fr * fc); for (auto& v : fp) v = rng() % 2; fp[0] = 1;
    std::vector<float> src(w * h), dmin(w * h), dmax(w * h), rows(w*h), sep(w*h);
    for (auto& v : src) v = (float)(rng() % 100);
    std::vector<int> offs; int dyMin = 1 << 20, dxMin = 1 << 20, dyMax = -(1<<20), dxMax = -(1<<20);
    for (int k = 0; k < fr; k++) for (int l = 0; l < fc; l++) if (fp[k * fc + l]) { int dy = k - cr, dx = l - cc; dyMin = std::min(dyMin, dy); dxMin = std::min(dxMin, dx); dyMax = std::max(dyMax, dy); dxMax = std::max(dxMax, dx); }
    for (int k = 0; k < fr; k++) for (int l = 0; l < fc; l++) if (fp[k * fc + l]) { offs.push_back(k - cr - dyMin); offs.push_back(l - cc - dxMin); }
    int tileW = 32 + dxMax - dxMin, tileH = 8 + dyMax - dyMin, count = offs.size() / 2;
    scoped_dim3 grid{(unsigned)(w + 31) / 32, (unsigned)(h + 7) / 8, 1}, block{32, 8, 1};
    emu_launch(grid, block, [&] { morph_tile_min_f32(src.data(), dmin.data(), w, h, offs.data(), count, dyMin, dxMin, tileW, tileH, mode, 0.5); });
    emu_launch(grid, block, [&] { morph_tile_max_f32(src.data(), dmax.data(), w, h, offs.data(), count, dyMin, dxMin, tileW, tileH, mode, 0.5); });
    emu_launch(grid, block, [&] { morph_rows_min_f32(src.data(), rows.data(), w, h, -cr, fr, mode, 0.5); });
    emu_launch(grid, block, [&] { morph_cols_min_f32(rows.data(), sep.data(), w, h, -cc, fc, mode, 0.5); });
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
      float mn = 1e30f, mx = -1e30f, smn = 1e30f;
      for (int k = 0; k < fr; k++) for (int l = 0; l < fc; l++) {
        int yy = scoped_map(y + k - cr, h, mode), xx = scoped_map(x + l - cc, w, mode);
        float v = yy < 0 || xx < 0 ? 0.5f : src[yy * w + xx];
        smn = std::min(smn, v);
        if (!fp[k * fc + l]) continue;
        mn = std::min(mn, v); mx = std::max(mx, v);
      }
      if (dmin[y * w + x] != mn || dmax[y * w + x] != mx || sep[y*w+x] != smn) { if (bad++ < 5) printf("bad %d %d: %g/%g %g/%g %g/%g\n", y, x, dmin[y*w+x], mn, dmax[y*w+x], mx, sep[y*w+x], smn); }
    }
  }
  printf("morph bad=%d\n", bad);
  return bad != 0;
}
