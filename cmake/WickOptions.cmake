# Build options of the native library.
option(WICK_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(WICK_BUILD_BENCH "Build the native benchmarks (bench/gemm)" OFF)
option(WICK_BUILD_TESTS "Build the native unit tests (ctest)" ON)
set(WICK_CUDA "AUTO" CACHE STRING "Build the CUDA backend libwick_cuda.so: AUTO (when nvcc is found), ON, OFF, or EMULATE (tests without a GPU)")
set_property(CACHE WICK_CUDA PROPERTY STRINGS AUTO ON OFF EMULATE)
set(WICK_OUTPUT_DIR "${CMAKE_BINARY_DIR}" CACHE PATH "Where the shared libraries are written")
