# Platform-specific link settings: the runtime library must load on older distributions than the
# build machine, so the C++ runtime is linked statically and nothing else is pulled in.
include(WickGlibcCompat)

function(wick_portable_runtime target)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    if(NOT WICK_SANITIZE)
      target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL -Wl,--as-needed
                                            -Wl,-z,noexecstack -Wl,--no-undefined)
    endif()
    wick_glibc_compat(${target})
  elseif(APPLE)
    target_link_options(${target} PRIVATE -Wl,-dead_strip)
  elseif(WIN32)
    set_property(TARGET ${target} PROPERTY MSVC_RUNTIME_LIBRARY "MultiThreaded$<$<CONFIG:Debug>:Debug>")
  endif()
endfunction()
