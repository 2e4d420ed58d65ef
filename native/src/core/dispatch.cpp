// Finds the backend for a device: the CPU backend is built in; the CUDA backend is loaded on
// first use from libwick_cuda.so beside this library (its entry point wk_cuda_backend returns
// its table).
#include <mutex>
#include <string>

#include "core/backend.h"
#include "core/error.h"
#include "core/platform/dynlib.h"

namespace wick {

const Backend& cpu_backend();  // src/cpu/backend_cpu.cpp

namespace {

using BackendEntry = const Backend* (*)(int32_t abi_version);

struct CudaLoad {
    const Backend* backend = nullptr;
    std::string error;
};

const CudaLoad& load_cuda() {
    static CudaLoad result = [] {
        CudaLoad r;
        std::string path = platform::this_library_dir() + platform::library_file_name("wick_cuda");
        std::string err;
        void* lib = platform::open_library(path, &err);
        if (lib == nullptr) {
            // Hosts that load packages in place (the NuGet cache: dotnet fsi) keep the CUDA runtime package
            // in another folder; the managed loader loads it first, and opening it by name finds that copy.
            std::string ignored;
            lib = platform::open_library(platform::library_file_name("wick_cuda"), &ignored);
        }
        if (lib == nullptr) {
            r.error = "the CUDA backend is not installed (" + path + " could not be loaded: " + err +
                      "). Add the package Wick.Runtime.Cuda.linux-x64, or build native/ with -DWICK_CUDA=ON";
            return r;
        }
        auto entry = reinterpret_cast<BackendEntry>(platform::find_symbol(lib, "wk_cuda_backend"));
        if (entry == nullptr) {
            r.error = path + " has no wk_cuda_backend entry point: it does not match this version of Wick";
            return r;
        }
        const Backend* be = entry(kBackendAbiVersion);
        if (be == nullptr || be->abi_version != kBackendAbiVersion) {
            r.error = path + " was built for another version of Wick (backend ABI mismatch)";
            return r;
        }
        r.backend = be;
        return r;
    }();
    return result;
}

}  // namespace

const Backend& backend_for(Device device) {
    if (device.is_cpu()) return cpu_backend();
    const CudaLoad& cuda = load_cuda();
    if (cuda.backend == nullptr) fail(WK_ERR_DEVICE, "device ", device, " requested, but ", cuda.error);
    int32_t count = 0;
    check_backend(*cuda.backend, cuda.backend->device_count(&count));
    if (device.index >= count) {
        if (count == 0)
            fail(WK_ERR_DEVICE, "device ", device, " requested, but no CUDA device is available (",
                 cuda.backend->last_error(), "); check the NVIDIA driver with nvidia-smi");
        fail(WK_ERR_DEVICE, "device ", device, " requested, but ", count,
             count == 1 ? " CUDA device is" : " CUDA devices are", " available");
    }
    check_backend(*cuda.backend, cuda.backend->runtime->activate(device.index));
    return *cuda.backend;
}

const Backend* cuda_backend_if_loaded(const char** why) {
    try {
        const CudaLoad& cuda = load_cuda();
        if (why != nullptr) *why = cuda.backend == nullptr ? cuda.error.c_str() : "";
        return cuda.backend;
    } catch (...) {
        if (why != nullptr) *why = "the CUDA backend could not be loaded";
        return nullptr;
    }
}

void check_backend(const Backend& be, wk_status status) {
    if (status != WK_OK) throw Error(status, be.last_error());
}

void throw_not_implemented(const Backend& be, const char* what) {
    // On an accelerator this is a device limitation the user can work around (DeviceException).
    if (be.type != DeviceType::CPU)
        fail(WK_ERR_DEVICE, what, " is not implemented on the ", be.name,
             " backend yet; move its inputs to the CPU with Cpu() for this op (and the result back with To(device))");
    fail(WK_ERR_NOT_IMPLEMENTED, what, " is not implemented on the ", be.name, " backend");
}

}  // namespace wick
