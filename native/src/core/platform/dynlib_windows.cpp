#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "core/platform/dynlib.h"

namespace wick::platform {

std::string this_library_dir() {
    HMODULE module = nullptr;
    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            reinterpret_cast<LPCSTR>(&this_library_dir), &module))
        return {};
    char buf[MAX_PATH];
    DWORD n = GetModuleFileNameA(module, buf, MAX_PATH);
    std::string path(buf, n);
    auto slash = path.find_last_of("\\/");
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

void* open_library(const std::string& path, std::string* error) {
    HMODULE h = LoadLibraryA(path.c_str());
    if (h == nullptr && error != nullptr) *error = "LoadLibrary failed with error " + std::to_string(GetLastError());
    return reinterpret_cast<void*>(h);
}

void* find_symbol(void* library, const char* name) {
    return reinterpret_cast<void*>(GetProcAddress(reinterpret_cast<HMODULE>(library), name));
}

std::string library_file_name(const char* base) { return std::string(base) + ".dll"; }

}  // namespace wick::platform
#endif
