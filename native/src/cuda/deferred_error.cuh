// Index checks without a host synchronisation: the "deferred error" of a device.
//
// An out-of-range index (index ops, NLL targets, embedding ids) must be the CPU's WK_ERR_INDEX
// error naming the op, the value, the dimension and the size, and never an out-of-bounds access.
// Reading a "found one" flag back after every check would stall every training step, so instead:
//  - the kernels that read or write through indices check each entry they use: a bad one is
//    skipped (a read gives 0, a write is dropped) and reported into the device's record below;
//  - the host reads the record wherever it already waits for the device (wk_cuda_synchronize,
//    stream and event synchronize, copies to the host, internal read-backs such as the size of a
//    masked_select) and raises the recorded error there, with a note that an earlier op made it;
//  - in synchronous mode (WICK_CUDA_SYNC_CHECKS=1, or wk_cuda_set_sync_checks) each op first runs
//    a separate check kernel, waits for it and raises the error itself, before anything is written
//    (the behaviour of CUDA_LAUNCH_BLOCKING=1 for index errors, for debugging).
//
// Which error is kept: the one from the earliest launch (a per-device sequence number), and in it
// the smallest row-major position of the index, the same entry the CPU reports, whichever GPU
// thread gets there first. Threads take a spin lock in the record to update it (error path only;
// sm_70+ schedules diverged lanes independently, so a lane spinning on its warp's holder progresses).
// Reporting clears the record: errors of later ops that ran before the report are dropped.
#pragma once

#include <cstdint>

#include "cuda/common.cuh"

namespace wick::cuda {

enum class BadIndexKind : int32_t {
    Index = 1,        // "op: index v is out of bounds for dimension d with size n"
    Target = 2,       // "nll_loss: target v is out of bounds for n classes (... or ignore_index x)"
    EmbeddingId = 3,  // "op: index v is out of range for an embedding of n rows (...)"
    PoolIndex = 4,    // "op: index v is outside the HxW input plane; ..." (size H * W, extra W)
};

// One per device, in device memory, zero when no error is pending.
struct DeferredError {
    unsigned int lock;      // spin lock of the reporting threads
    unsigned int ready;     // 1: the fields below describe an error
    int32_t kind;           // BadIndexKind
    int32_t op;             // the op's name, interned by op_name_id()
    int32_t dim;            // Index: the indexed dimension
    int32_t unused;
    unsigned long long launch;    // sequence number of the reporting launch
    unsigned long long position;  // row-major position of the bad entry in its index tensor
    int64_t value;          // the bad entry as the user wrote it (before wrapping negatives)
    int64_t size;           // the dimension's size / classes / embedding rows
    int64_t extra;          // Target: ignore_index
};

// What a checking kernel needs to report (a kernel parameter).
struct IndexReport {
    DeferredError* record;
    unsigned long long launch;
    int32_t kind;
    int32_t op;
    int32_t dim;
    int64_t size;
    int64_t extra;
};

// The kernels' side, index_in_range() and report_bad_index(), is in index_common.cuh (device code,
// which the backend's .cpp files, compiled as plain C++ for the host, cannot include).

// Synchronous mode (see above); initially WICK_CUDA_SYNC_CHECKS=1 in the environment.
bool sync_checks();
void set_sync_checks(bool on);

// A report for one launch on the active device (its record is allocated on first use).
IndexReport index_report(BadIndexKind kind, const char* op, int32_t dim, int64_t size, int64_t extra = 0);

// Checks every entry of `index` (int64, any shape and strides) with a kernel of its own that only
// reports. `ignore` entries (has_ignore) are valid. In synchronous mode it then waits and raises
// the error as the op's own; otherwise it runs only when `fused` is false, that is when the
// consuming kernel does not check every entry itself (it has no work, e.g. an empty output).
void check_index_entries(const View& index, const IndexReport& r, bool wrap, bool has_ignore, int64_t ignore, bool fused);

// Reads the record of a device where the host waits for a stream: construct it (which queues a
// copy of the record on the stream) before waiting, call raise_if_set() after. Costs nothing on a
// device that never ran a check.
class DeferredErrorRead {
public:
    DeferredErrorRead(int32_t device, cudaStream_t stream);
    ~DeferredErrorRead();
    DeferredErrorRead(const DeferredErrorRead&) = delete;
    DeferredErrorRead& operator=(const DeferredErrorRead&) = delete;
    // Throws the recorded error (WK_ERR_INDEX) and clears the record; `own_launch` is the launch
    // whose error is the caller's own (synchronous mode: no "reported later" note), 0 for none.
    void raise_if_set(unsigned long long own_launch = 0);

private:
    int32_t device_;
    cudaStream_t stream_;
    DeferredError* mirror_ = nullptr;  // pinned copy of the record
};

// After a wait that covered no single stream (device or event synchronize): reads the record of
// `device` on a private stream, which waits for nothing else, and raises it.
void raise_deferred_error(int32_t device);

}  // namespace wick::cuda
