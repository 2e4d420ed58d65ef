# AddressSanitizer + UndefinedBehaviorSanitizer for the whole library (WICK_SANITIZE=ON). The .NET host
# is not instrumented: the test runner preloads libasan (see build.cake, target AsanTest).
function(wick_enable_sanitizers target)
  if(NOT WICK_SANITIZE)
    return()
  endif()
  if(MSVC)
    target_compile_options(${target} PRIVATE /fsanitize=address)
    return()
  endif()
  set(flags -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(${target} PRIVATE ${flags})
  target_link_options(${target} PRIVATE -fsanitize=address,undefined)
endfunction()
