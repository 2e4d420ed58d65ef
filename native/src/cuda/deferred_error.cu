// The deferred index error of each device: its record, the standalone check kernel, and reading
// the record where the host waits (see deferred_error.cuh).
#include "cuda/deferred_error.cuh"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "cuda/index_common.cuh"
#include "cuda/pinned.cuh"

namespace wick::cuda {

namespace kernels {

// Reports the first bad entry of index (row-major position i) into the device's record.
__global__ void __launch_bounds__(kThreads) check_index_entries(const int64_t* index, Strided<1> s, int64_t n, IndexReport r,
                                                                int32_t wrap, int32_t has_ignore, int64_t ignore) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[1];
    s.offsets(i, off);
    const int64_t v = index[off[0]];
    int64_t k;
    if ((has_ignore == 0 || v != ignore) && !index_in_range(v, r.size, wrap != 0, k)) report_bad_index(r, i, v);
}

}  // namespace kernels

namespace {

std::atomic<bool>& sync_mode() {
    static std::atomic<bool> on{[] {
        const char* v = std::getenv("WICK_CUDA_SYNC_CHECKS");
        return v != nullptr && v[0] != '\0' && std::strcmp(v, "0") != 0;
    }()};
    return on;
}

// Per device: the record (null until the first check there), the launch counter, and a private
// non-blocking stream for reads that must not wait for the user's streams.
struct DeviceRecord {
    std::once_flag once;
    std::atomic<DeferredError*> record{nullptr};
    std::atomic<unsigned long long> launches{0};
    std::once_flag stream_once;
    cudaStream_t reader = nullptr;
};

DeviceRecord& device_record(int32_t device) {
    static DeviceRecord* records = new DeviceRecord[kMaxDevices];
    check(device >= 0 && device < kMaxDevices, WK_ERR_INTERNAL, "deferred error: no device ", device);
    return records[device];
}

// The record of the active device, allocated and zeroed on first use (outside the caching
// allocator, so memory statistics do not see it; it lives as long as the process).
DeferredError* record_of_active() {
    DeviceRecord& d = device_record(active_device());
    std::call_once(d.once, [&d] {
        void* p = nullptr;
        check_cuda(cudaMalloc(&p, sizeof(DeferredError)), "index check record (cudaMalloc)");
        cudaStream_t s = current_stream();
        cudaError_t e = cudaMemsetAsync(p, 0, sizeof(DeferredError), s);
        if (e == cudaSuccess) {
            note_host_wait();  // once per device, so that kernels on any stream see a zeroed record
            e = cudaStreamSynchronize(s);
        }
        if (e != cudaSuccess) {
            cudaFree(p);
            throw_cuda(e, "index check record (cudaMemsetAsync)");
        }
        d.record.store(static_cast<DeferredError*>(p));
    });
    return d.record.load();
}

// Op names as small integers for the record (kernels cannot keep a host pointer for later).
struct OpNames {
    std::mutex mu;
    std::vector<std::string> names{"an index op"};  // id 0: unknown
};
OpNames& op_names() {
    static OpNames* n = new OpNames;
    return *n;
}

int32_t op_name_id(const char* op) {
    OpNames& t = op_names();
    std::lock_guard<std::mutex> lock(t.mu);
    for (size_t i = 1; i < t.names.size(); ++i)
        if (t.names[i] == op) return static_cast<int32_t>(i);
    t.names.emplace_back(op);
    return static_cast<int32_t>(t.names.size() - 1);
}

std::string op_name(int32_t id) {
    OpNames& t = op_names();
    std::lock_guard<std::mutex> lock(t.mu);
    return id > 0 && static_cast<size_t>(id) < t.names.size() ? t.names[static_cast<size_t>(id)] : t.names[0];
}

// Clears the record on `stream` and waits, so that the next read does not see the error again.
void clear_record(DeferredError* record, cudaStream_t stream) {
    check_cuda(cudaMemsetAsync(record, 0, sizeof(DeferredError), stream), "index check record (cudaMemsetAsync)");
    note_host_wait();
    check_cuda(cudaStreamSynchronize(stream), "index check record (cudaStreamSynchronize)");
}

// The CPU's message for the recorded error, plus where it was raised when that was later.
[[noreturn]] void raise(const DeferredError& e, bool deferred) {
    const std::string op = op_name(e.op);
    std::ostringstream os;
    switch (static_cast<BadIndexKind>(e.kind)) {
        case BadIndexKind::Target:
            os << op << ": target " << e.value << " is out of bounds for " << e.size << " classes (expected 0 to "
               << e.size - 1 << ", or ignore_index " << e.extra << ")";
            break;
        case BadIndexKind::EmbeddingId:
            os << op << ": index " << e.value << " is out of range for an embedding of " << e.size << " rows (expected 0 to "
               << e.size - 1 << ")";
            break;
        case BadIndexKind::PoolIndex:
            os << op << ": index " << e.value << " is outside the " << e.size / e.extra << "x" << e.extra
               << " input plane; pass the indices that MaxPool2d returned for this input";
            break;
        default:
            os << op << ": index " << e.value << " is out of bounds for dimension " << e.dim << " with size " << e.size;
            break;
    }
    if (deferred)
        os << " [raised by an earlier asynchronous CUDA op (" << op
           << "), reported at the next synchronisation; the bad entries were skipped. Set WICK_CUDA_SYNC_CHECKS=1 or "
              "Cuda.SynchronousChecks = true to raise it at the op]";
    throw Error(WK_ERR_INDEX, os.str());
}

}  // namespace

bool sync_checks() { return sync_mode().load(std::memory_order_relaxed); }
void set_sync_checks(bool on) { sync_mode().store(on); }

IndexReport index_report(BadIndexKind kind, const char* op, int32_t dim, int64_t size, int64_t extra) {
    IndexReport r;
    r.record = record_of_active();
    r.launch = device_record(active_device()).launches.fetch_add(1) + 1;
    r.kind = static_cast<int32_t>(kind);
    r.op = op_name_id(op);
    r.dim = dim;
    r.size = size;
    r.extra = extra;
    return r;
}

void check_index_entries(const View& index, const IndexReport& r, bool wrap, bool has_ignore, int64_t ignore, bool fused) {
    const bool sync = sync_checks();
    const int64_t n = index.numel();
    if ((fused && !sync) || n == 0) return;
    check(index.dtype == DType::I64, WK_ERR_INTERNAL, "index check needs an int64 view");
    const View* views[1] = {&index};
    const Strided<1> s = make_strided<1>(views);
    launch_kernel("index check", &kernels::check_index_entries, grid_1d(ceil_div(n, kThreads), "index check"), dim3(kThreads),
                  reinterpret_cast<const int64_t*>(index.data), s, n, r, static_cast<int32_t>(wrap ? 1 : 0),
                  static_cast<int32_t>(has_ignore ? 1 : 0), ignore);
    if (!sync) return;
    DeferredErrorRead read(active_device(), current_stream());
    note_host_wait();
    check_cuda(cudaStreamSynchronize(current_stream()), "index check (cudaStreamSynchronize)");
    read.raise_if_set(r.launch);
}

DeferredErrorRead::DeferredErrorRead(int32_t device, cudaStream_t stream) : device_(device), stream_(stream) {
    DeferredError* record = device_record(device).record.load();
    if (record == nullptr) return;
    mirror_ = static_cast<DeferredError*>(pinned_allocate(sizeof(DeferredError)));
    cudaError_t e = cudaMemcpyAsync(mirror_, record, sizeof(DeferredError), cudaMemcpyDeviceToHost, stream);
    if (e != cudaSuccess) {
        pinned_free(mirror_);
        mirror_ = nullptr;
        throw_cuda(e, "index check record (cudaMemcpyAsync)");
    }
}

DeferredErrorRead::~DeferredErrorRead() {
    if (mirror_ != nullptr) pinned_free(mirror_);  // the caller has waited for the copy (or failed)
}

void DeferredErrorRead::raise_if_set(unsigned long long own_launch) {
    if (mirror_ == nullptr || mirror_->ready == 0) return;
    const DeferredError e = *mirror_;
    clear_record(device_record(device_).record.load(), stream_);
    raise(e, e.launch != own_launch);
}

void raise_deferred_error(int32_t device) {
    DeviceRecord& d = device_record(device);
    if (d.record.load() == nullptr) return;
    std::call_once(d.stream_once, [&d] {
        check_cuda(cudaStreamCreateWithFlags(&d.reader, cudaStreamNonBlocking), "index check reader (cudaStreamCreateWithFlags)");
    });
    DeferredErrorRead read(device, d.reader);
    note_host_wait();
    check_cuda(cudaStreamSynchronize(d.reader), "index check record (cudaStreamSynchronize)");
    read.raise_if_set();
}

}  // namespace wick::cuda
