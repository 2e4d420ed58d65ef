#if !defined(_WIN32)
#include <dlfcn.h>

#include "core/platform/dynlib.h"

namespace wick::platform {

std::string this_library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&this_library_dir), &info) == 0 || info.dli_fname == nullptr) return {};
    std::string path = info.dli_fname;
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

void* open_library(const std::string& path, std::string* error) {
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr && error != nullptr) {
        const char* e = dlerror();
        *error = e ? e : "unknown dlopen error";
    }
    return h;
}

void* find_symbol(void* library, const char* name) { return dlsym(library, name); }

std::string library_file_name(const char* base) {
#if defined(__APPLE__)
    return std::string("lib") + base + ".dylib";
#else
    return std::string("lib") + base + ".so";
#endif
}

}  // namespace wick::platform
#endif
