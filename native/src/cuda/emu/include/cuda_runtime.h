// The subset of the CUDA runtime API that libwick_cuda uses, declared from NVIDIA's public CUDA
// Runtime API documentation (names, parameter types and order; enum values are placeholders).
// It is NOT the real header: nvcc builds use the toolkit's <cuda_runtime.h>. This one serves
//  - scripts/cuda-syntax-check.sh (clang parses every .cu against it on a machine without CUDA), and
//  - the emulation build (-DWICK_CUDA=EMULATE), whose runtime.cpp implements these functions on
//    the CPU so the CUDA backend's host logic and kernels can run in tests without a GPU.
// Keep it small: a function used by the backend but missing here fails both checks, on purpose.
#ifndef WICK_EMU_CUDA_RUNTIME_H
#define WICK_EMU_CUDA_RUNTIME_H

#include <cstddef>
#include <cstdint>

#if !defined(__CUDA__)  // plain C++ (emulation): CUDA's function and variable qualifiers are no-ops
#define __host__
#define __device__
#define __global__
#define __forceinline__ inline
#define __launch_bounds__(...)
#endif

#define CUDART_VERSION 13000

enum cudaError {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInitializationError = 3,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidDevicePointer = 17,
    cudaErrorInsufficientDriver = 35,
    cudaErrorNoDevice = 100,
    cudaErrorInvalidDevice = 101,
    cudaErrorInvalidResourceHandle = 400,
    cudaErrorNotReady = 600,
    cudaErrorLaunchFailure = 719,
    cudaErrorUnknown = 999
};
typedef enum cudaError cudaError_t;

enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4
};

typedef struct CUstream_st* cudaStream_t;
typedef struct CUevent_st* cudaEvent_t;

#define cudaStreamDefault 0x00
#define cudaStreamNonBlocking 0x01
#define cudaEventDefault 0x00
#define cudaEventBlockingSync 0x01
#define cudaEventDisableTiming 0x02
#define cudaHostAllocDefault 0x00

struct cudaDeviceProp {
    char name[256];
    size_t totalGlobalMem;
    size_t sharedMemPerBlock;
    int warpSize;
    int maxThreadsPerBlock;
    int major;
    int minor;
    int multiProcessorCount;
    int l2CacheSize;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};

extern "C" {
__host__ const char* cudaGetErrorName(cudaError_t error);
__host__ const char* cudaGetErrorString(cudaError_t error);
__host__ cudaError_t cudaGetLastError(void);

__host__ cudaError_t cudaGetDeviceCount(int* count);
__host__ cudaError_t cudaSetDevice(int device);
__host__ cudaError_t cudaGetDevice(int* device);
__host__ cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp* prop, int device);
__host__ cudaError_t cudaMemGetInfo(size_t* free, size_t* total);
__host__ cudaError_t cudaDeviceSynchronize(void);

__host__ cudaError_t cudaMalloc(void** devPtr, size_t size);
__host__ cudaError_t cudaFree(void* devPtr);
__host__ cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags);
__host__ cudaError_t cudaFreeHost(void* ptr);
__host__ cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                                     cudaStream_t stream);
__host__ cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream);

__host__ cudaError_t cudaStreamCreateWithFlags(cudaStream_t* pStream, unsigned int flags);
__host__ cudaError_t cudaStreamDestroy(cudaStream_t stream);
__host__ cudaError_t cudaStreamSynchronize(cudaStream_t stream);
__host__ cudaError_t cudaStreamQuery(cudaStream_t stream);
__host__ cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags);

__host__ cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags);
__host__ cudaError_t cudaEventDestroy(cudaEvent_t event);
__host__ cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream);
__host__ cudaError_t cudaEventSynchronize(cudaEvent_t event);
__host__ cudaError_t cudaEventQuery(cudaEvent_t event);
__host__ cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end);

__host__ cudaError_t cudaLaunchKernel(const void* func, dim3 gridDim, dim3 blockDim, void** args, size_t sharedMem,
                                      cudaStream_t stream);
}

#if defined(__CUDA__)
// Only for clang's parser: it lowers <<<...>>> through this (the backend itself launches through
// cudaLaunchKernel and never uses <<<...>>>).
extern "C" int cudaConfigureCall(dim3 gridDim, dim3 blockDim, size_t sharedMem = 0, cudaStream_t stream = 0);
#endif

#if defined(WICK_CUDA_EMULATION)
#include "emu_device.h"  // threadIdx, __syncthreads, shuffles, ... for kernels compiled as plain C++
#endif

#endif  // WICK_EMU_CUDA_RUNTIME_H
