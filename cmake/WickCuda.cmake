# The CUDA backend, libwick_cuda: its own shared library beside libwick, which loads it on first
# use (src/core/dispatch.cpp). WICK_CUDA (WickOptions.cmake):
#   AUTO     build it when nvcc is found (the default); a CPU-only machine builds as before
#   ON       build it, and fail when nvcc is not found
#   OFF      never
#   EMULATE  build it from the same sources as plain C++ against the CPU emulator in
#            src/cuda/emu (tests only: the backend's logic and kernels run without a GPU)
# WICK_CUDA_ARCHITECTURES: CMake CUDA architectures; the default is sm_80 and sm_90 machine code
# plus sm_90 PTX, which newer GPUs compile at load.
#
# Included by native/CMakeLists.txt after the wick target, at file scope (enable_language must not
# run inside a function); return() leaves this file only.
set(WICK_CUDA_ARCHITECTURES "80-real;90" CACHE STRING "CUDA architectures of libwick_cuda (CMake syntax)")

set(_wick_src "${CMAKE_CURRENT_SOURCE_DIR}/src")
file(GLOB _wick_cu_sources CONFIGURE_DEPENDS "${_wick_src}/cuda/*.cu")
file(GLOB _wick_cpp_sources CONFIGURE_DEPENDS "${_wick_src}/cuda/*.cpp")
# The core pieces the backend needs (errors, dtype names, shape printing), compiled in with hidden
# visibility: the backend keeps its own last-error message.
set(_wick_core_sources "${_wick_src}/core/error.cpp" "${_wick_src}/core/dtype.cpp" "${_wick_src}/core/shape.cpp")
string(TOUPPER "${WICK_CUDA}" _wick_cuda_mode)

if(_wick_cuda_mode STREQUAL "OFF")
  message(STATUS "Wick: CUDA backend disabled (WICK_CUDA=OFF)")
  return()
endif()

if(_wick_cuda_mode STREQUAL "EMULATE")
  # The .cu files compiled as C++, through one generated wrapper each.
  set(_wick_wrappers "")
  foreach(_wick_cu IN LISTS _wick_cu_sources)
    get_filename_component(_wick_stem "${_wick_cu}" NAME_WE)
    set(_wick_wrapper "${CMAKE_CURRENT_BINARY_DIR}/cuda_emu/${_wick_stem}.cpp")
    file(CONFIGURE OUTPUT "${_wick_wrapper}" CONTENT "#include \"${_wick_cu}\"\n")
    list(APPEND _wick_wrappers "${_wick_wrapper}")
  endforeach()
  add_library(wick_cuda SHARED ${_wick_wrappers} ${_wick_cpp_sources} ${_wick_core_sources}
                               "${_wick_src}/cuda/emu/runtime.cpp")
  target_compile_definitions(wick_cuda PRIVATE WICK_CUDA_EMULATION)
  target_include_directories(wick_cuda SYSTEM PRIVATE "${_wick_src}/cuda/emu/include")
  target_include_directories(wick_cuda PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/include" "${_wick_src}")
  target_link_libraries(wick_cuda PRIVATE Threads::Threads)
  if(NOT MSVC)
    target_compile_options(wick_cuda PRIVATE -O1 -Wall -Wextra -Wno-unused-parameter -Wno-unknown-pragmas)
  endif()
  set_target_properties(wick_cuda PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${WICK_OUTPUT_DIR}")
  message(STATUS "Wick: building libwick_cuda against the CPU emulator (WICK_CUDA=EMULATE, tests only)")
  return()
endif()

include(CheckLanguage)
if(NOT CMAKE_CUDA_COMPILER)
  check_language(CUDA)
endif()
if(NOT CMAKE_CUDA_COMPILER)
  if(_wick_cuda_mode STREQUAL "ON")
    message(FATAL_ERROR "WICK_CUDA=ON, but no CUDA compiler (nvcc) was found: install the CUDA toolkit, "
                        "put nvcc on PATH or set CMAKE_CUDA_COMPILER")
  endif()
  message(STATUS "Wick: nvcc not found, building without the CUDA backend (WICK_CUDA=AUTO)")
  return()
endif()

if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES "${WICK_CUDA_ARCHITECTURES}")
endif()
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)

add_library(wick_cuda SHARED ${_wick_cu_sources} ${_wick_cpp_sources} ${_wick_core_sources})
set_target_properties(wick_cuda PROPERTIES
  CUDA_ARCHITECTURES "${CMAKE_CUDA_ARCHITECTURES}"
  CUDA_STANDARD 20
  CUDA_STANDARD_REQUIRED ON
  CUDA_RUNTIME_LIBRARY Static
  CUDA_VISIBILITY_PRESET hidden
  # Linked by the C++ compiler, so wick_portable_runtime's flags (static libstdc++, hidden
  # static-library symbols) apply as they do to libwick.
  LINKER_LANGUAGE CXX
  LIBRARY_OUTPUT_DIRECTORY "${WICK_OUTPUT_DIR}")
target_include_directories(wick_cuda PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/include" "${_wick_src}"
                                             ${CUDAToolkit_INCLUDE_DIRS})
# --expt-relaxed-constexpr: constexpr host functions (std::numeric_limits, ...) in device code.
target_compile_options(wick_cuda PRIVATE
  $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr>
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wno-unused-parameter>)
target_link_libraries(wick_cuda PRIVATE CUDA::cudart_static CUDA::cublas Threads::Threads ${CMAKE_DL_LIBS})
wick_portable_runtime(wick_cuda)
message(STATUS "Wick: building the CUDA backend libwick_cuda (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, "
               "architectures ${CMAKE_CUDA_ARCHITECTURES})")
