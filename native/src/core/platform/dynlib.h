// Loading a shared library that sits beside libwick (the CUDA backend). One implementation per
// platform: dynlib_posix.cpp (Linux, macOS), dynlib_windows.cpp.
#pragma once

#include <string>

namespace wick::platform {

// Directory holding the library that contains this code, with a trailing separator; empty if unknown.
std::string this_library_dir();
// Opens a library by path; null and a message in *error on failure.
void* open_library(const std::string& path, std::string* error);
void* find_symbol(void* library, const char* name);
// File name of a library with the given base name on this platform (libX.so, libX.dylib, X.dll).
std::string library_file_name(const char* base);

}  // namespace wick::platform
