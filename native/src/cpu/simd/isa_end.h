// Closes the region opened by isa_begin.h.
#if defined(WICK_ISA_AVX512) || defined(WICK_ISA_AVX2)
#  if defined(__clang__)
#    pragma clang attribute pop
#  elif defined(__GNUC__)
#    if defined(WICK_ISA_AVX512)
#      pragma GCC diagnostic pop
#    endif
#    pragma GCC pop_options
#  endif
#endif
