// The emulator's globals and launcher (one std::thread per CUDA thread, a barrier for __syncthreads); include once, after the kernels.
#pragma once
thread_local scoped_uint3 threadIdx, blockIdx; scoped_dim3 blockDim, gridDim;
std::barrier<>* emu_barrier; std::mutex emu_mutex;
inline void emu_launch(scoped_dim3 grid, scoped_dim3 block, std::function<void()> kernel) {
  gridDim = grid; blockDim = block;
  int threads = block.x * block.y;
  for (unsigned by = 0; by < grid.y; by++) for (unsigned bx = 0; bx < grid.x; bx++) {
    std::barrier<> bar(threads); emu_barrier = &bar;
    std::vector<std::thread> ts;
    for (unsigned ty = 0; ty < block.y; ty++) for (unsigned tx = 0; tx < block.x; tx++)
      ts.emplace_back([=] { blockIdx = {bx, by, 0}; threadIdx = {tx, ty, 0}; kernel(); });
    for (auto& t : ts) t.join();
  }
}
