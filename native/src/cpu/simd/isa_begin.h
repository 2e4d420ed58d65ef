// Opens the instruction-set region of a per-ISA source file (src/cpu/simd/*.cpp, compiled once per
// ISA with WICK_ISA_SCALAR, WICK_ISA_AVX2 or WICK_ISA_AVX512 defined). Include it after every other
// header and close the region with isa_end.h.
//
// Why a target pragma and not -mavx512f on the whole file: with a compiler flag, any inline function
// from a shared header (std::min, View::numel, ...) that the file instantiates out of line would be
// compiled with AVX-512 instructions, and the linker keeps one copy of it for the whole library,
// which could then crash an AVX2 machine. Here only what is defined inside the region (all of it in
// the namespace WICK_ISA_NS) gets the wider instruction set. cmake/check_isa_isolation.sh verifies it
// on the built library.
// (No include guard: each per-ISA file opens exactly one region.)
#if defined(WICK_ISA_AVX512)
#  define WICK_ISA_NS avx512
#  define WICK_ISA_LEVEL 2
#  if defined(__clang__)
#    pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt"))), apply_to = function)
#  elif defined(__GNUC__)
#    pragma GCC push_options
#    pragma GCC target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt")
// GCC 12's AVX-512 headers trip this warning on their own "undefined" placeholder vectors.
#    pragma GCC diagnostic push
#    pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#  endif
#elif defined(WICK_ISA_AVX2)
#  define WICK_ISA_NS avx2
#  define WICK_ISA_LEVEL 1
#  if defined(__clang__)
#    pragma clang attribute push(__attribute__((target("avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt"))), apply_to = function)
#  elif defined(__GNUC__)
#    pragma GCC push_options
#    pragma GCC target("avx2,fma,f16c,bmi,bmi2,lzcnt,popcnt")
#  endif
#elif defined(WICK_ISA_AVX512_EMULATED)
// Test executable only: the AVX-512 kernels over portable intrinsics (tests/emulation), so their
// logic is checked on a CPU without AVX-512.
#  define WICK_ISA_NS avx512emu
#  define WICK_ISA_LEVEL 2
#  define WICK_ISA_EMULATED 1
#elif defined(WICK_ISA_SCALAR)
#  define WICK_ISA_NS scalar
#  define WICK_ISA_LEVEL 0
#else
#  error "compile src/cpu/simd/*.cpp with one of WICK_ISA_SCALAR, WICK_ISA_AVX2, WICK_ISA_AVX512 (or WICK_ISA_AVX512_EMULATED)"
#endif
