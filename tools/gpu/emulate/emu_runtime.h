// The emulated device of the test suite (Scoped.Tests/Gpu/Emulation/EmulatedGpuRuntime.cs): g++ compiles one kernel
// module with this header (-include) plus a generated table of its entry points into a shared library whose
// emu_launch runs a launch on the calling CPU thread.
//
// Blocks run one after another; the threads of a block are cooperative user-space threads (a register switch on x86-64, ucontext elsewhere; one small
// stack each, reused across blocks): each runs until it calls __syncthreads or returns, then the next one runs, and
// a barrier releases when every thread still running has reached it (threads that returned no longer take part, as
// on the GPU). Reaching __syncthreads at different places in one block is reported as an error, since on the GPU it
// is undefined. Static __shared__ arrays are function statics in a section of their own (one block at a time, so one
// per block), dynamic shared memory one buffer per module; both are filled with 0xff bytes (NaN for floats) before
// every block, so that a read of a slot no thread of the block wrote shows up. Atomics are plain read-modify-writes: only one thread runs at a time.
// What this does not show: most races between threads of a block (the threads between two barriers run one after
// another, first to last, or last to first with SCOPED_GPU_EMULATE_ORDER=reverse), reads out of bounds (writes are
// caught by the host's guard bytes), NVRTC compilation, and the device's own transcendental functions.
#pragma once
#include "emu_intrinsics.h"
#include <cstdio>
#include <cstdlib>
#include <new>
#include <utility>
#include <ucontext.h>
#include <sys/mman.h>
#include <unistd.h>

// Static __shared__ arrays: function statics gathered in one section, so that each block can start them as garbage.
#define __shared__ __attribute__((section("emu_static_shared"))) static
extern "C" char __start_emu_static_shared[] __attribute__((weak, visibility("hidden")));
extern "C" char __stop_emu_static_shared[] __attribute__((weak, visibility("hidden")));
#define EMU_EXPORT extern "C" __attribute__((visibility("default")))

// The launch in progress (the host serializes launches, so plain globals).
scoped_uint3 threadIdx, blockIdx;
scoped_dim3 blockDim, gridDim;

// x86-64: a switch that saves only the callee-saved registers (ucontext's swapcontext also makes a signal-mask
// system call each time, which dominates the run time); other machines use ucontext.
#if defined(__x86_64__) && !defined(EMU_USE_UCONTEXT)
#define EMU_FAST_SWITCH 1
// emu_switch(save, load): pushes the callee-saved registers, stores the stack pointer in *save, continues on load.
extern "C" void emu_switch(void** save, void* load);
asm(R"(
    .text
    .p2align 4
    .globl emu_switch
    .hidden emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");
#else
#define EMU_FAST_SWITCH 0
#endif

namespace emu {

constexpr int MaxThreads = 1024;
constexpr size_t StackBytes = 128 * 1024;
constexpr size_t MaxDynamicShared = 48 * 1024;   // CUDA's limit without opting in to more

enum State { Ready, AtBarrier, Done };

struct Fiber
{
#if EMU_FAST_SWITCH
    void* sp = nullptr;       // saved stack pointer while switched out
#else
    ucontext_t context;
#endif
    char* stack = nullptr;
    State state = Ready;
    const char* site = nullptr;   // where it waits: "file:line"
    scoped_uint3 index{};
};

inline Fiber fibers[MaxThreads];
#if EMU_FAST_SWITCH
inline void* scheduler = nullptr;
#else
inline ucontext_t scheduler;
#endif
inline int current = -1;
inline void (*running)(void**) = nullptr;
inline void** runningArgs = nullptr;
inline char error[512];

inline void fail(const char* format, const char* a, const char* b = "")
{
    std::snprintf(error, sizeof error, format, a, b);
}

#if EMU_FAST_SWITCH
inline void run_fiber()
{
    running(runningArgs);
    fibers[current].state = Done;
    emu_switch(&fibers[current].sp, scheduler);
    __builtin_unreachable();
}

inline void to_scheduler(Fiber& f) { emu_switch(&f.sp, scheduler); }
inline void to_fiber(Fiber& f) { emu_switch(&scheduler, f.sp); }

inline void start_fiber(Fiber& f, char* stack)
{
    // The frame emu_switch pops: six callee-saved registers, then run_fiber as the return address, then a null
    // "return address" of run_fiber itself; the top is 16-byte aligned, so run_fiber starts as if called.
    void** top = reinterpret_cast<void**>(stack + StackBytes);
    void** sp = top - 8;
    for (int k = 0; k < 6; k++) sp[k] = nullptr;
    sp[6] = reinterpret_cast<void*>(&run_fiber);
    sp[7] = nullptr;
    f.sp = sp;
}
#else
inline void run_fiber()
{
    running(runningArgs);
    fibers[current].state = Done;
    // returning goes to uc_link, the scheduler
}

inline void to_scheduler(Fiber& f) { swapcontext(&f.context, &scheduler); }
inline void to_fiber(Fiber& f) { swapcontext(&scheduler, &f.context); }

inline void start_fiber(Fiber& f, char* stack)
{
    getcontext(&f.context);
    f.context.uc_stack.ss_sp = stack;
    f.context.uc_stack.ss_size = StackBytes;
    f.context.uc_link = &scheduler;
    makecontext(&f.context, run_fiber, 0);
}
#endif

inline void syncthreads(const char* site)
{
    Fiber& f = fibers[current];
    f.state = AtBarrier;
    f.site = site;
    to_scheduler(f);
    threadIdx = f.index;   // another thread ran meanwhile
}

inline char* stack(int i)
{
    if (!fibers[i].stack)
    {
        // A guard page under each stack turns an overflow into a crash at once instead of corrupting a neighbour.
        void* p = mmap(nullptr, StackBytes + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        mprotect(p, 4096, PROT_NONE);
        fibers[i].stack = static_cast<char*>(p) + 4096;
    }
    return fibers[i].stack;
}

// SCOPED_GPU_EMULATE_ORDER=reverse runs the threads between two barriers last to first: a kernel whose result
// changes with it depends on an order the GPU does not promise (a missing __syncthreads, a race on shared memory).
inline bool reverse = [] { const char* order = std::getenv("SCOPED_GPU_EMULATE_ORDER"); return order && std::strcmp(order, "reverse") == 0; }();

// Runs one block; false (with `error` set) when its threads reach different barriers.
inline bool run_block(int threads)
{
    for (int t = 0; t < threads; t++)
    {
        Fiber& f = fibers[t];
        f.state = Ready;
        f.site = nullptr;
        f.index = { t % blockDim.x, (t / blockDim.x) % blockDim.y, t / (blockDim.x * blockDim.y) };
        start_fiber(f, stack(t));
    }
    for (;;)
    {
        int waiting = 0;
        for (int k = 0; k < threads; k++)
        {
            int t = reverse ? threads - 1 - k : k;
            if (fibers[t].state != Ready) continue;
            current = t;
            threadIdx = fibers[t].index;
            to_fiber(fibers[t]);
            if (fibers[t].state == AtBarrier) waiting++;
        }
        if (waiting == 0) return true;
        const char* site = nullptr;
        for (int t = 0; t < threads; t++)
        {
            if (fibers[t].state != AtBarrier) continue;
            if (site && std::strcmp(site, fibers[t].site) != 0)
            {
                fail("__syncthreads reached at different places by the threads of one block (%s and %s)", site, fibers[t].site);
                return false;
            }
            site = fibers[t].site;
            fibers[t].state = Ready;
        }
    }
}

// A kernel's parameters from the launch's 8-byte slots (the value at the start of each slot, little-endian).
template <typename T> inline T arg(void* slot) { T v; std::memcpy(&v, slot, sizeof(T)); return v; }

template <typename... A, size_t... I>
inline void call(void (*kernel)(A...), void** args, std::index_sequence<I...>) { kernel(arg<A>(args[I])...); }

struct Entry
{
    const char* name;
    void (*invoke)(void**);
    int count;             // parameters
    const int* sizes;      // their sizes in bytes
};

template <typename... A> struct Signature
{
    static constexpr int count = sizeof...(A);
    static constexpr int sizes[sizeof...(A) + 1] = { (int)sizeof(A)..., 0 };
};

template <typename... A> constexpr Signature<A...> signature(void (*)(A...)) { return {}; }

template <auto Kernel> void invoke(void** args)
{
    call(Kernel, args, std::make_index_sequence<decltype(signature(Kernel))::count>());
}

template <typename T, typename U> inline T atomicAdd_(T* a, U v) { T old = *a; *a = (T)(old + (T)v); return old; }

} // namespace emu

// Only one thread runs at a time, so an atomic is a plain read-modify-write.
template <typename T, typename U> inline T atomicAdd(T* a, U v) { return emu::atomicAdd_(a, v); }

// Defined by the generated file: the module's kernels, and its dynamic shared arrays (each of MaxDynamicShared bytes).
extern const emu::Entry emu_entries[];
extern const int emu_entry_count;
extern void* const emu_shared[];
extern const int emu_shared_count;

static const emu::Entry* emu_find(const char* name)
{
    for (int i = 0; i < emu_entry_count; i++)
        if (std::strcmp(emu_entries[i].name, name) == 0) return &emu_entries[i];
    return nullptr;
}

// The number of parameters of kernel `name`, or -1 when the module has no such kernel.
EMU_EXPORT int emu_parameters(const char* name)
{
    const emu::Entry* e = emu_find(name);
    return e ? e->count : -1;
}

EMU_EXPORT const char* emu_error() { return emu::error; }

// Runs a launch to completion. args[i] points at parameter i's 8-byte slot; sizes[i] is the size the host passed
// (4 or 8), checked against the kernel's declaration. 0 on success, else emu_error() says what was wrong.
EMU_EXPORT int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                          int sharedBytes, void** args, int count, const int* sizes)
{
    emu::error[0] = 0;
    const emu::Entry* e = emu_find(name);
    if (!e) { emu::fail("the module has no kernel %s%s", name); return 1; }
    if (count != e->count)
    {
        std::snprintf(emu::error, sizeof emu::error, "%s takes %d parameters; the launch passed %d", name, e->count, count);
        return 1;
    }
    for (int i = 0; i < count; i++)
        if (sizes[i] != e->sizes[i])
        {
            std::snprintf(emu::error, sizeof emu::error, "%s: parameter %d is %d bytes; the launch passed %d", name, i, e->sizes[i], sizes[i]);
            return 1;
        }
    long long threads = (long long)bx * by * bz;
    if (threads < 1 || threads > emu::MaxThreads || bz > 64 || gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535)
    {
        std::snprintf(emu::error, sizeof emu::error, "%s: invalid launch shape grid (%u, %u, %u) block (%u, %u, %u)", name, gx, gy, gz, bx, by, bz);
        return 1;
    }
    if (sharedBytes < 0 || (size_t)sharedBytes > emu::MaxDynamicShared)
    {
        std::snprintf(emu::error, sizeof emu::error, "%s: %d bytes of dynamic shared memory, over the %zu a launch gets without opting in", name, sharedBytes, emu::MaxDynamicShared);
        return 1;
    }
    gridDim = { gx, gy, gz };
    blockDim = { bx, by, bz };
    emu::running = e->invoke;
    emu::runningArgs = args;
    for (unsigned z = 0; z < gz; z++)
        for (unsigned y = 0; y < gy; y++)
            for (unsigned x = 0; x < gx; x++)
            {
                blockIdx = { x, y, z };
                for (int s = 0; s < emu_shared_count; s++) std::memset(emu_shared[s], 0xff, (size_t)sharedBytes);
                if (__start_emu_static_shared) std::memset(__start_emu_static_shared, 0xff, (size_t)(__stop_emu_static_shared - __start_emu_static_shared));
                if (!emu::run_block((int)threads))
                {
                    char detail[512];
                    std::snprintf(detail, sizeof detail, "%s, block (%u, %u, %u): %s", name, x, y, z, emu::error);
                    std::memcpy(emu::error, detail, sizeof detail);
                    return 1;
                }
            }
    return 0;
}

#define __syncthreads() emu::syncthreads(__FILE__ ":" EMU_STRINGIFY(__LINE__))
#define EMU_STRINGIFY2(x) #x
#define EMU_STRINGIFY(x) EMU_STRINGIFY2(x)
// An entry of the generated table.
#define EMU_ENTRY(name) { #name, emu::invoke<&name>, decltype(emu::signature(&name))::count, decltype(emu::signature(&name))::sizes }
