// Runs rank.cu's median kernels on the CPU emulator against a sort of each window, every boundary mode.
#include <algorithm>
#include <cstdio>
#include <random>
#include "rank.cu"
#include "emu_main.h"
template <class F> void launch(int w, int h, F f) { emu_launch({(unsigned)(w + 31) / 32, (unsigned)(h + 7) / 8, 1}, {32, 8, 1}, f); }
int mapi(int i, int n, int mode) { return scoped_map(i, n, mode); }
int main() {
  std::mt19937 rng(1); int bad = 0;
  for (int trial = 0; trial < 40; trial++) {
    int w = 1 + rng() % 40, h = 1 + rng() % 20, mode = rng() % 5; float cval = 0.5f;
    std::vector<float> src(w * h), d3(w * h), d5(w * h);
    for (auto& v : src) v = (rng() % 7) * 0.25f;
    launch(w, h, [&] { median3x3_f32(src.data(), d3.data(), w, h, mode, cval); });
    launch(w, h, [&] { median5x5_f32(src.data(), d5.data(), w, h, mode, cval); });
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int r = 1; r <= 2; r++) {
      std::vector<float> win;
      for (int dy = -r; dy <= r; dy++) for (int dx = -r; dx <= r; dx++) {
        int yy = mapi(y + dy, h, mode), xx = mapi(x + dx, w, mode);
        win.push_back(yy < 0 || xx < 0 ? cval : src[yy * w + xx]);
      }
      std::sort(win.begin(), win.end());
      float got = r == 1 ? d3[y * w + x] : d5[y * w + x];
      if (got != win[win.size() / 2]) { if (bad++ < 5) printf("bad r=%d %d,%d w=%d h=%d mode=%d got %g want %g\n", r, y, x, w, h, mode, got, win[win.size() / 2]); }
    }
  }
  printf("median bad=%d\n", bad);
  return bad != 0;
}
