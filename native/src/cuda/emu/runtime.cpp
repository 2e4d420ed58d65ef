// The CUDA emulator behind -DWICK_CUDA=EMULATE: the CUDA runtime and cuBLAS functions of
// include/ implemented on the CPU, and a kernel launcher that runs every thread of a block as a
// fiber. It exists so the CUDA backend's host logic (allocator, streams, launch configuration)
// and its kernels (indexing, warp and block reductions, conversions) run in the test suite on a
// machine without a GPU. It is a test tool, never shipped.
//
// What it checks beyond running the code:
//  - launch configurations CUDA would refuse (block over 1024 threads, grid y/z over 65535);
//  - __syncthreads() or a shuffle not reached by every thread that must reach it (deadlock);
//  - host code touching device memory: device allocations are mapped PROT_NONE except while a
//    kernel, copy or cuBLAS call runs, so such a touch crashes the test instead of passing;
//  - device pointers passed to copies that lie outside any allocation;
//  - cuBLAS arguments (leading dimensions) that real cuBLAS rejects.
// Fibers of a block run in index order (WICK_CUDA_EMU_REVERSE=1: reverse order), switching only
// at barriers, so a missing barrier between a shared-memory write and another thread's read shows
// up as a wrong result in one of the two orders.
//
// Environment: WICK_CUDA_EMU_MEMORY (bytes of fake device memory, default 2 GiB),
// WICK_CUDA_EMU_DEVICES (device count, default 1; 0 emulates a machine without a GPU).
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "core/half.h"
#include "cuda/common.cuh"

thread_local wick_emu_uint3 threadIdx;
thread_local wick_emu_uint3 blockIdx;
thread_local wick_emu_uint3 blockDim;
thread_local wick_emu_uint3 gridDim;

namespace {

// ---------------------------------------------------------------------------------------------
// Errors and configuration
// ---------------------------------------------------------------------------------------------

thread_local cudaError_t t_last_error = cudaSuccess;

cudaError_t record(cudaError_t e) {
    if (e != cudaSuccess) t_last_error = e;
    return e;
}

int64_t env_int(const char* name, int64_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoll(v, nullptr, 10) : fallback;
}

int device_count() { return static_cast<int>(env_int("WICK_CUDA_EMU_DEVICES", 1)); }
size_t device_memory() { return static_cast<size_t>(env_int("WICK_CUDA_EMU_MEMORY", int64_t(2) << 30)); }

// ---------------------------------------------------------------------------------------------
// Device memory: one mapping per cudaMalloc, inaccessible while no device work runs.
// ---------------------------------------------------------------------------------------------

struct DeviceMemory {
    std::mutex mu;
    std::map<uintptr_t, size_t> blocks;  // base -> mapped length
    size_t used = 0;
    int open_depth = 0;                  // > 0 while device work runs (nested on one thread)
};

DeviceMemory& memory() {
    static DeviceMemory* m = new DeviceMemory;
    return *m;
}

size_t page_round(size_t n) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return (n + page - 1) / page * page;
}

void protect_all(DeviceMemory& m, int prot) {
    for (auto& [base, len] : m.blocks) mprotect(reinterpret_cast<void*>(base), len, prot);
}

// Makes device memory accessible for the lifetime of the object (device work in progress).
// Device work of all host threads is serialised by the same lock, like one GPU queue.
struct DeviceWork {
    std::unique_lock<std::recursive_mutex> lock;
    static std::recursive_mutex& gpu() {
        static std::recursive_mutex* mu = new std::recursive_mutex;
        return *mu;
    }
    DeviceWork() : lock(gpu()) {
        DeviceMemory& m = memory();
        std::lock_guard<std::mutex> g(m.mu);
        if (m.open_depth++ == 0) protect_all(m, PROT_READ | PROT_WRITE);
    }
    ~DeviceWork() {
        DeviceMemory& m = memory();
        std::lock_guard<std::mutex> g(m.mu);
        if (--m.open_depth == 0) protect_all(m, PROT_NONE);
    }
};

// True when [p, p + n) lies inside one device allocation.
bool is_device_range(const void* p, size_t n) {
    DeviceMemory& m = memory();
    std::lock_guard<std::mutex> g(m.mu);
    const auto a = reinterpret_cast<uintptr_t>(p);
    auto it = m.blocks.upper_bound(a);
    if (it == m.blocks.begin()) return false;
    --it;
    return a >= it->first && a + n <= it->first + it->second;
}

// ---------------------------------------------------------------------------------------------
// Fibers: the threads of one block
// ---------------------------------------------------------------------------------------------

constexpr size_t kFiberStack = 256 * 1024;
constexpr unsigned kMaxBlockThreads = 1024;

struct Fiber {
    ucontext_t ctx;
    char* stack = nullptr;
    bool done = false;
    int waiting = 0;  // 0: runnable, 1: at the block barrier, 2: at its warp barrier
};

struct Scheduler {
    std::vector<Fiber> fibers;
    ucontext_t main_ctx;
    unsigned nthreads = 0;
    unsigned current = 0;
    unsigned done_count = 0;
    unsigned block_arrived = 0;
    std::vector<unsigned> warp_arrived;
    std::vector<unsigned> warp_done;
    uint64_t slots[kMaxBlockThreads];
    void (*body)(void*) = nullptr;
    void* context = nullptr;
    bool failed = false;
    std::string error;

    Scheduler() : fibers(kMaxBlockThreads), warp_arrived(kMaxBlockThreads / 32), warp_done(kMaxBlockThreads / 32) {
        for (Fiber& f : fibers) {
            void* p = mmap(nullptr, kFiberStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (p == MAP_FAILED) {
                std::fprintf(stderr, "wick CUDA emulator: cannot map fiber stacks\n");
                std::abort();
            }
            f.stack = static_cast<char*>(p);
        }
    }
};

thread_local Scheduler* t_sched = nullptr;

Scheduler& scheduler() {
    if (t_sched == nullptr) t_sched = new Scheduler;  // per host thread, kept for its lifetime
    return *t_sched;
}

void set_thread_index(unsigned linear) {
    threadIdx.x = linear % blockDim.x;
    threadIdx.y = (linear / blockDim.x) % blockDim.y;
    threadIdx.z = linear / (blockDim.x * blockDim.y);
}

unsigned warp_size_of(const Scheduler& s, unsigned warp) {
    const unsigned first = warp * 32;
    return s.nthreads - first < 32 ? s.nthreads - first : 32;
}

// Releases barriers that every still-running thread has reached.
void release_ready(Scheduler& s) {
    if (s.block_arrived > 0 && s.block_arrived == s.nthreads - s.done_count) {
        for (unsigned i = 0; i < s.nthreads; ++i)
            if (s.fibers[i].waiting == 1) s.fibers[i].waiting = 0;
        s.block_arrived = 0;
    }
    for (unsigned w = 0; w * 32 < s.nthreads; ++w) {
        if (s.warp_arrived[w] > 0 && s.warp_arrived[w] == warp_size_of(s, w) - s.warp_done[w]) {
            for (unsigned i = w * 32; i < w * 32 + warp_size_of(s, w); ++i)
                if (s.fibers[i].waiting == 2) s.fibers[i].waiting = 0;
            s.warp_arrived[w] = 0;
        }
    }
}

void fiber_main() {
    Scheduler& s = *t_sched;
    s.body(s.context);
    Fiber& f = s.fibers[s.current];
    f.done = true;
    ++s.done_count;
    ++s.warp_done[s.current / 32];
    release_ready(s);
}  // returns to uc_link: the scheduler

void wait_at(int kind) {
    Scheduler& s = *t_sched;
    Fiber& f = s.fibers[s.current];
    if (kind == 1) ++s.block_arrived;
    else ++s.warp_arrived[s.current / 32];
    f.waiting = kind;
    release_ready(s);
    if (f.waiting == 0) return;  // the last to arrive: go on
    swapcontext(&f.ctx, &s.main_ctx);
}

// Runs every thread of the current block; false (with s.error) on a deadlock.
bool run_block(Scheduler& s) {
    const bool reverse = env_int("WICK_CUDA_EMU_REVERSE", 0) != 0;
    s.done_count = 0;
    s.block_arrived = 0;
    for (unsigned w = 0; w < kMaxBlockThreads / 32; ++w) s.warp_arrived[w] = s.warp_done[w] = 0;
    for (unsigned i = 0; i < s.nthreads; ++i) {
        Fiber& f = s.fibers[i];
        f.done = false;
        f.waiting = 0;
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = f.stack;
        f.ctx.uc_stack.ss_size = kFiberStack;
        f.ctx.uc_link = &s.main_ctx;
        makecontext(&f.ctx, &fiber_main, 0);
    }
    while (s.done_count < s.nthreads) {
        bool progressed = false;
        for (unsigned k = 0; k < s.nthreads; ++k) {
            const unsigned i = reverse ? s.nthreads - 1 - k : k;
            Fiber& f = s.fibers[i];
            if (f.done || f.waiting != 0) continue;
            s.current = i;
            set_thread_index(i);
            swapcontext(&s.main_ctx, &f.ctx);
            progressed = true;
        }
        if (!progressed) {
            s.error = "deadlock: a __syncthreads() or warp shuffle is not reached by every thread of the block";
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Streams and events (everything runs synchronously)
// ---------------------------------------------------------------------------------------------

struct EmuEvent {
    std::chrono::steady_clock::time_point when{};
    bool timing = true;
    bool recorded = false;
};

thread_local int t_device = 0;

float round_tf32(float v) {
    // float32 with the mantissa rounded to 10 bits (to nearest, ties to even), as the tensor cores read it.
    uint32_t u;
    std::memcpy(&u, &v, 4);
    if ((u & 0x7f800000u) == 0x7f800000u) return v;
    u += 0xfffu + ((u >> 13) & 1u);
    u &= 0xffffe000u;
    std::memcpy(&v, &u, 4);
    return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Device-side builtins used by emu_device.h
// ---------------------------------------------------------------------------------------------

namespace wick_emu {

void block_barrier() { wait_at(1); }
void warp_barrier() { wait_at(2); }
uint64_t* shuffle_slots() { return t_sched->slots; }
unsigned linear_thread_index() { return t_sched->current; }
unsigned block_thread_count() { return t_sched->nthreads; }

}  // namespace wick_emu

namespace wick::cuda::emu {

void launch(const char* name, dim3 grid, dim3 block, void (*body)(void*), void* context) {
    const uint64_t threads = static_cast<uint64_t>(block.x) * block.y * block.z;
    if (threads == 0 || threads > kMaxBlockThreads || block.x > 1024 || block.y > 1024 || block.z > 64 || grid.x == 0 ||
        grid.y == 0 || grid.z == 0 || grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535) {
        fail(WK_ERR_INTERNAL, name, ": invalid launch configuration (grid ", grid.x, "x", grid.y, "x", grid.z, ", block ",
             block.x, "x", block.y, "x", block.z, ")");
    }
    DeviceWork work;
    Scheduler& s = scheduler();
    s.nthreads = static_cast<unsigned>(threads);
    s.body = body;
    s.context = context;
    blockDim = {block.x, block.y, block.z};
    gridDim = {grid.x, grid.y, grid.z};
    for (unsigned z = 0; z < grid.z; ++z)
        for (unsigned y = 0; y < grid.y; ++y)
            for (unsigned x = 0; x < grid.x; ++x) {
                blockIdx = {x, y, z};
                if (!run_block(s)) fail(WK_ERR_INTERNAL, name, ": ", s.error);
            }
}

}  // namespace wick::cuda::emu

// ---------------------------------------------------------------------------------------------
// CUDA runtime API
// ---------------------------------------------------------------------------------------------

extern "C" {

const char* cudaGetErrorName(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        case cudaErrorNoDevice: return "cudaErrorNoDevice";
        case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
        case cudaErrorNotReady: return "cudaErrorNotReady";
        default: return "cudaErrorUnknown";
    }
}

const char* cudaGetErrorString(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "no error";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorNoDevice: return "no CUDA-capable device is detected (emulator)";
        default: return "emulated CUDA error";
    }
}

cudaError_t cudaGetLastError(void) {
    cudaError_t e = t_last_error;
    t_last_error = cudaSuccess;
    return e;
}

cudaError_t cudaGetDeviceCount(int* count) {
    *count = device_count();
    return *count > 0 ? cudaSuccess : record(cudaErrorNoDevice);
}

cudaError_t cudaSetDevice(int device) {
    if (device < 0 || device >= device_count()) return record(cudaErrorInvalidDevice);
    t_device = device;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
    *device = t_device;
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* prop, int device) {
    if (device < 0 || device >= device_count()) return record(cudaErrorInvalidDevice);
    std::memset(prop, 0, sizeof(*prop));
    std::snprintf(prop->name, sizeof(prop->name), "Wick CUDA emulator");
    prop->totalGlobalMem = device_memory();
    prop->sharedMemPerBlock = 48 * 1024;
    prop->warpSize = 32;
    prop->maxThreadsPerBlock = 1024;
    prop->major = 8;
    prop->minor = 0;
    prop->multiProcessorCount = 2;
    prop->l2CacheSize = 4 << 20;
    return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total) {
    DeviceMemory& m = memory();
    std::lock_guard<std::mutex> g(m.mu);
    *total = device_memory();
    *free_bytes = m.used < *total ? *total - m.used : 0;
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize(void) { return cudaSuccess; }

cudaError_t cudaMalloc(void** devPtr, size_t size) {
    DeviceMemory& m = memory();
    std::lock_guard<std::mutex> g(m.mu);
    const size_t len = page_round(size == 0 ? 1 : size);
    if (m.used + len > device_memory()) return record(cudaErrorMemoryAllocation);
    void* p = mmap(nullptr, len, m.open_depth > 0 ? PROT_READ | PROT_WRITE : PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return record(cudaErrorMemoryAllocation);
    m.blocks.emplace(reinterpret_cast<uintptr_t>(p), len);
    m.used += len;
    *devPtr = p;
    return cudaSuccess;
}

cudaError_t cudaFree(void* devPtr) {
    if (devPtr == nullptr) return cudaSuccess;
    DeviceMemory& m = memory();
    std::lock_guard<std::mutex> g(m.mu);
    auto it = m.blocks.find(reinterpret_cast<uintptr_t>(devPtr));
    if (it == m.blocks.end()) return record(cudaErrorInvalidDevicePointer);
    munmap(devPtr, it->second);
    m.used -= it->second;
    m.blocks.erase(it);
    return cudaSuccess;
}

cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int) {
    *pHost = std::aligned_alloc(4096, page_round(size == 0 ? 1 : size));
    return *pHost != nullptr ? cudaSuccess : record(cudaErrorMemoryAllocation);
}

cudaError_t cudaFreeHost(void* ptr) {
    std::free(ptr);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind, cudaStream_t) {
    if (count == 0) return cudaSuccess;
    const bool dst_dev = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    const bool src_dev = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    if ((dst_dev && !is_device_range(dst, count)) || (src_dev && !is_device_range(src, count)) ||
        (!dst_dev && is_device_range(dst, 1)) || (!src_dev && is_device_range(src, 1)))
        return record(cudaErrorInvalidValue);
    DeviceWork work;
    std::memmove(dst, src, count);
    return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t) {
    if (count == 0) return cudaSuccess;
    if (!is_device_range(devPtr, count)) return record(cudaErrorInvalidValue);
    DeviceWork work;
    std::memset(devPtr, value, count);
    return cudaSuccess;
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* pStream, unsigned int) {
    *pStream = reinterpret_cast<cudaStream_t>(new int(0));
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
    delete reinterpret_cast<int*>(stream);
    return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamQuery(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaStreamWaitEvent(cudaStream_t, cudaEvent_t, unsigned int) { return cudaSuccess; }

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags) {
    auto* e = new EmuEvent;
    e->timing = (flags & cudaEventDisableTiming) == 0;
    *event = reinterpret_cast<cudaEvent_t>(e);
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    delete reinterpret_cast<EmuEvent*>(event);
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t) {
    auto* e = reinterpret_cast<EmuEvent*>(event);
    e->when = std::chrono::steady_clock::now();
    e->recorded = true;
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventQuery(cudaEvent_t) { return cudaSuccess; }

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
    auto* a = reinterpret_cast<EmuEvent*>(start);
    auto* b = reinterpret_cast<EmuEvent*>(end);
    if (!a->timing || !b->timing || !a->recorded || !b->recorded) return record(cudaErrorInvalidValue);
    *ms = std::chrono::duration<float, std::milli>(b->when - a->when).count();
    return cudaSuccess;
}

cudaError_t cudaLaunchKernel(const void*, dim3, dim3, void**, size_t, cudaStream_t) {
    return record(cudaErrorInvalidValue);  // the emulation build launches through wick::cuda::emu::launch
}

// ---------------------------------------------------------------------------------------------
// cuBLAS
// ---------------------------------------------------------------------------------------------

cublasStatus_t cublasCreate(cublasHandle_t* handle) {
    *handle = reinterpret_cast<cublasHandle_t>(new int(0));
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle) {
    delete reinterpret_cast<int*>(handle);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t, cudaStream_t) { return CUBLAS_STATUS_SUCCESS; }
cublasStatus_t cublasSetMathMode(cublasHandle_t, cublasMath_t) { return CUBLAS_STATUS_SUCCESS; }

const char* cublasGetStatusString(cublasStatus_t status) {
    return status == CUBLAS_STATUS_SUCCESS ? "CUBLAS_STATUS_SUCCESS" : "CUBLAS_STATUS_INVALID_VALUE (emulator)";
}

static double read_element(const void* base, cudaDataType type, int64_t index) {
    switch (type) {
        case CUDA_R_32F: return static_cast<const float*>(base)[index];
        case CUDA_R_64F: return static_cast<const double*>(base)[index];
        case CUDA_R_16F: return wick::Half::to_float(static_cast<const wick::Half*>(base)[index].bits);
        case CUDA_R_16BF: return wick::bits_float(static_cast<uint32_t>(static_cast<const wick::BFloat16*>(base)[index].bits) << 16);
    }
    return 0;  // unreachable: cublasGemmStridedBatchedEx refuses other types first
}

static void write_element(void* base, cudaDataType type, int64_t index, double v) {
    switch (type) {
        case CUDA_R_32F: static_cast<float*>(base)[index] = static_cast<float>(v); break;
        case CUDA_R_64F: static_cast<double*>(base)[index] = v; break;
        case CUDA_R_16F: static_cast<wick::Half*>(base)[index] = wick::Half(static_cast<float>(v)); break;
        case CUDA_R_16BF: static_cast<wick::BFloat16*>(base)[index] = wick::BFloat16(static_cast<float>(v)); break;
    }
}

cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                                          int k, const void* alpha, const void* A, cudaDataType Atype, int lda,
                                          long long int strideA, const void* B, cudaDataType Btype, int ldb,
                                          long long int strideB, const void* beta, void* C, cudaDataType Ctype, int ldc,
                                          long long int strideC, int batchCount, cublasComputeType_t computeType,
                                          cublasGemmAlgo_t) {
    const auto max1 = [](int v) { return v > 1 ? v : 1; };
    if (m < 0 || n < 0 || k < 0 || batchCount < 0) return CUBLAS_STATUS_INVALID_VALUE;
    if (lda < max1(transa == CUBLAS_OP_N ? m : k) || ldb < max1(transb == CUBLAS_OP_N ? k : n) || ldc < max1(m))
        return CUBLAS_STATUS_INVALID_VALUE;
    // The type combinations cuBLAS documents for these compute types: A, B and C of one type, or
    // 16-bit A and B with a float32 C under CUBLAS_COMPUTE_32F; TF32 only for float32 operands.
    const bool half_ab = Atype == CUDA_R_16F || Atype == CUDA_R_16BF;
    const bool known = Atype == CUDA_R_32F || Atype == CUDA_R_64F || half_ab;
    if (!known || Atype != Btype || (Ctype != Atype && !(half_ab && Ctype == CUDA_R_32F))) return CUBLAS_STATUS_NOT_SUPPORTED;
    if (half_ab && computeType != CUBLAS_COMPUTE_32F) return CUBLAS_STATUS_NOT_SUPPORTED;
    const bool f64 = computeType == CUBLAS_COMPUTE_64F;
    if (f64 != (Atype == CUDA_R_64F)) return CUBLAS_STATUS_NOT_SUPPORTED;
    const bool tf32 = computeType == CUBLAS_COMPUTE_32F_FAST_TF32;
    const double al = f64 ? *static_cast<const double*>(alpha) : *static_cast<const float*>(alpha);
    const double be = f64 ? *static_cast<const double*>(beta) : *static_cast<const float*>(beta);
    DeviceWork work;
    for (int b = 0; b < batchCount; ++b) {
        for (int j = 0; j < n; ++j) {
            for (int i = 0; i < m; ++i) {
                double acc = 0;
                for (int l = 0; l < k; ++l) {
                    const int64_t ai = transa == CUBLAS_OP_N ? i + static_cast<int64_t>(l) * lda : l + static_cast<int64_t>(i) * lda;
                    const int64_t bi = transb == CUBLAS_OP_N ? l + static_cast<int64_t>(j) * ldb : j + static_cast<int64_t>(l) * ldb;
                    double av = read_element(A, Atype, b * strideA + ai);
                    double bv = read_element(B, Btype, b * strideB + bi);
                    if (tf32) {
                        av = round_tf32(static_cast<float>(av));
                        bv = round_tf32(static_cast<float>(bv));
                    }
                    acc += av * bv;
                }
                const int64_t ci = b * strideC + i + static_cast<int64_t>(j) * ldc;
                const double prev = be != 0 ? read_element(C, Ctype, ci) : 0.0;
                write_element(C, Ctype, ci, al * acc + be * prev);
            }
        }
    }
    return CUBLAS_STATUS_SUCCESS;
}

}  // extern "C"
