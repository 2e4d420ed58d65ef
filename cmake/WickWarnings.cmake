# Warnings as the project's first line of defence; errors in CI builds are left to the compiler's judgement.
function(wick_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  else()
    # -Wshadow=local is GCC's spelling; Clang and AppleClang (macOS) spell the closest check differently.
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter
                                             $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
                                             $<$<CXX_COMPILER_ID:Clang,AppleClang>:-Wshadow-uncaptured-local -Wno-shadow-field-in-constructor>)
  endif()
endfunction()
