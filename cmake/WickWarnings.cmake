# Warnings as the project's first line of defence; errors in CI builds are left to the compiler's judgement.
function(wick_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wshadow=local
                                             $<$<CXX_COMPILER_ID:Clang>:-Wno-shadow-field-in-constructor>)
  endif()
endfunction()
