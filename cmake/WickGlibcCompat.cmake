# Linux x86-64 with glibc: keep libwick loadable on glibc 2.28 when it is built on a newer glibc.
# Every symbol in WICK_GLIBC_WRAPPED_SYMBOLS is linked with --wrap, so references from Wick's own
# objects, the static libstdc++ and the static unwinder go to __wrap_<symbol> in
# native/src/core/platform/glibc/glibc_compat.cpp, which binds the oldest version (.symver) or
# replaces the function. `dotnet cake --target=CheckSymbols` reports any symbol still newer than 2.28:
# add it here and in glibc_compat.cpp.
set(WICK_GLIBC_WRAPPED_SYMBOLS
  exp log pow exp2 log2                              # libm, new versions in 2.29
  dlopen dlsym dlerror dladdr                        # moved into libc in 2.34
  pthread_once __pthread_key_create                  # moved into libc in 2.34
  pthread_create pthread_join pthread_detach          # the CPU thread pool (std::thread), 2.34
  pthread_key_create pthread_key_delete              # libstdc++ thread support, 2.34
  pthread_getspecific pthread_setspecific
  pthread_mutex_trylock                              # std::mutex::try_lock, 2.34
  __libc_single_threaded                             # 2.32, read by libstdc++
  arc4random                                         # 2.36, std::random_device in libstdc++
  _dl_find_object)                                   # 2.35, the static unwinder

include(CheckCXXSourceCompiles)

function(wick_glibc_compat target)
  if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux" OR NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$" OR WICK_SANITIZE)
    return()
  endif()
  check_cxx_source_compiles("#include <features.h>\n#ifndef __GLIBC__\n#error not glibc\n#endif\nint main() { return 0; }"
                            WICK_HAVE_GLIBC)
  if(NOT WICK_HAVE_GLIBC)
    return()
  endif()
  target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src/core/platform/glibc/glibc_compat.cpp")
  foreach(symbol IN LISTS WICK_GLIBC_WRAPPED_SYMBOLS)
    target_link_options(${target} PRIVATE "LINKER:--wrap=${symbol}")
  endforeach()
  # Before 2.34 dlopen and pthread_once live in libdl.so.2 and libpthread.so.0: name them ahead of
  # libc even though the build machine's copies are empty stubs (which --as-needed would drop; glibc
  # 2.34+ also ships no libdl.so link-time name, so the file names are given).
  target_link_options(${target} PRIVATE "LINKER:--push-state,--no-as-needed" -l:libdl.so.2 -l:libpthread.so.0 "LINKER:--pop-state")
endfunction()
