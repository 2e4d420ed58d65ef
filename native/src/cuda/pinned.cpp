#include "cuda/pinned.cuh"

#include <map>
#include <mutex>
#include <vector>

#include "cuda/common.cuh"

namespace wick::cuda {

namespace {

struct PinnedBlock {
    char* ptr = nullptr;
    size_t size = 0;
    bool in_use = false;
    std::vector<cudaEvent_t> events;  // copies that read the block
};

struct PinnedCache {
    std::mutex mu;
    std::map<uintptr_t, PinnedBlock*> blocks;        // every block, by address
    std::multimap<size_t, PinnedBlock*> free_blocks;  // cached blocks, by size
};

// Immortal, as the device allocators: tensors may be freed during process exit.
PinnedCache& cache() {
    static PinnedCache* c = new PinnedCache;
    return *c;
}

// Power-of-two sizes (at least 4 KiB) so freed blocks fit later requests of similar size.
size_t round_pinned(size_t n) {
    size_t s = 4096;
    while (s < n) s <<= 1;
    return s;
}

// True when every copy that read the block has finished; forgets those events.
bool events_done(PinnedBlock* b) {
    for (cudaEvent_t e : b->events) {
        cudaError_t q = cudaEventQuery(e);
        if (q == cudaErrorNotReady) {
            cudaGetLastError();
            return false;
        }
        if (q != cudaSuccess) cudaGetLastError();  // a failed copy no longer reads the block
    }
    for (cudaEvent_t e : b->events) cudaEventDestroy(e);
    b->events.clear();
    return true;
}

PinnedBlock* block_of(PinnedCache& c, const void* ptr) {
    const auto p = reinterpret_cast<uintptr_t>(ptr);
    auto it = c.blocks.upper_bound(p);
    if (it == c.blocks.begin()) return nullptr;
    --it;
    PinnedBlock* b = it->second;
    return p < it->first + b->size ? b : nullptr;
}

void release_free(PinnedCache& c) {
    for (auto it = c.free_blocks.begin(); it != c.free_blocks.end();) {
        PinnedBlock* b = it->second;
        for (cudaEvent_t e : b->events) {
            note_host_wait();
            if (cudaEventSynchronize(e) != cudaSuccess) cudaGetLastError();
            cudaEventDestroy(e);
        }
        b->events.clear();
        cudaFreeHost(b->ptr);
        cudaGetLastError();
        c.blocks.erase(reinterpret_cast<uintptr_t>(b->ptr));
        delete b;
        it = c.free_blocks.erase(it);
    }
}

}  // namespace

void* pinned_allocate(size_t nbytes) {
    PinnedCache& c = cache();
    const size_t size = round_pinned(nbytes);
    std::lock_guard<std::mutex> lock(c.mu);
    for (auto it = c.free_blocks.lower_bound(size); it != c.free_blocks.end() && it->first == size; ++it) {
        PinnedBlock* b = it->second;
        if (!events_done(b)) continue;
        c.free_blocks.erase(it);
        b->in_use = true;
        return b->ptr;
    }
    void* p = nullptr;
    cudaError_t e = cudaHostAlloc(&p, size, cudaHostAllocDefault);
    if (e != cudaSuccess) {
        cudaGetLastError();
        release_free(c);
        e = cudaHostAlloc(&p, size, cudaHostAllocDefault);
        if (e != cudaSuccess) {
            cudaGetLastError();
            if (e == cudaErrorMemoryAllocation)
                fail(WK_ERR_OUT_OF_MEMORY, "out of pinned host memory allocating ", nbytes, " bytes (",
                     cudaGetErrorName(e), "): dispose pinned tensors you no longer need");
            throw_cuda(e, "pinned memory (cudaHostAlloc)");
        }
    }
    auto* b = new PinnedBlock;
    b->ptr = static_cast<char*>(p);
    b->size = size;
    b->in_use = true;
    c.blocks.emplace(reinterpret_cast<uintptr_t>(p), b);
    return p;
}

void pinned_free(void* ptr) {
    if (ptr == nullptr) return;
    PinnedCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.blocks.find(reinterpret_cast<uintptr_t>(ptr));
    if (it == c.blocks.end() || !it->second->in_use) return;
    it->second->in_use = false;
    c.free_blocks.emplace(it->second->size, it->second);
}

bool is_pinned(const void* ptr) {
    PinnedCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    PinnedBlock* b = block_of(c, ptr);
    return b != nullptr && b->in_use;
}

void pinned_record_use(const void* ptr, cudaStream_t stream) {
    PinnedCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    PinnedBlock* b = block_of(c, ptr);
    if (b == nullptr) return;
    // A long-lived staging buffer is copied from again and again: drop the finished copies first.
    size_t kept = 0;
    for (cudaEvent_t old : b->events) {
        cudaError_t q = cudaEventQuery(old);
        if (q == cudaErrorNotReady) {
            cudaGetLastError();
            b->events[kept++] = old;
        } else {
            if (q != cudaSuccess) cudaGetLastError();
            cudaEventDestroy(old);
        }
    }
    b->events.resize(kept);
    cudaEvent_t e = nullptr;
    check_cuda(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "pinned copy (cudaEventCreateWithFlags)");
    cudaError_t r = cudaEventRecord(e, stream);
    if (r != cudaSuccess) {
        cudaEventDestroy(e);
        throw_cuda(r, "pinned copy (cudaEventRecord)");
    }
    b->events.push_back(e);
}

void pinned_empty_cache() {
    PinnedCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    release_free(c);
}

}  // namespace wick::cuda
