// Linux x86-64 with glibc only: cmake/WickGlibcCompat.cmake adds this file to libwick.so (the source
// glob in native/CMakeLists.txt skips this folder, so no other platform compiles it). The runtime package must load on glibc 2.28 (RHEL 8, Debian 10), but the build machine's
// glibc (2.36 on Debian 12) gives newer default versions to symbols that libwick, the static
// libstdc++ and the static unwinder (libgcc_eh) use. The linker is told `--wrap=<symbol>` for each
// symbol below, so every reference lands on `__wrap_<symbol>` here, which calls the oldest version
// of the same function (bound with .symver) or, where no old version exists, a local replacement.
// `dotnet cake --target=CheckSymbols` fails when a symbol newer than GLIBC_2.28 is still referenced.
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

// GLIBC_2.2.5 is the base version of every glibc symbol on x86-64.
#define WICK_OLD_SYMBOL(local, name) __asm__(".symver " #local "," #name "@GLIBC_2.2.5")

extern "C" {

// ---- libm: GLIBC_2.29 gave exp/log/pow/exp2/log2 new versions without the SVID error wrappers.
// The old versions compute the same values (they also set errno, which Wick never reads).
double wick_old_exp(double);
double wick_old_log(double);
double wick_old_pow(double, double);
double wick_old_exp2(double);
double wick_old_log2(double);
WICK_OLD_SYMBOL(wick_old_exp, exp);
WICK_OLD_SYMBOL(wick_old_log, log);
WICK_OLD_SYMBOL(wick_old_pow, pow);
WICK_OLD_SYMBOL(wick_old_exp2, exp2);
WICK_OLD_SYMBOL(wick_old_log2, log2);

__attribute__((visibility("hidden"))) double __wrap_exp(double x) { return wick_old_exp(x); }
__attribute__((visibility("hidden"))) double __wrap_log(double x) { return wick_old_log(x); }
__attribute__((visibility("hidden"))) double __wrap_pow(double x, double y) { return wick_old_pow(x, y); }
__attribute__((visibility("hidden"))) double __wrap_exp2(double x) { return wick_old_exp2(x); }
__attribute__((visibility("hidden"))) double __wrap_log2(double x) { return wick_old_log2(x); }

// ---- libdl and libpthread moved into libc in 2.34 (new versions there). Before 2.34 the old versions
// live in libdl.so.2 / libpthread.so.0, which libwick lists as dependencies (see WickGlibcCompat.cmake).
void* wick_old_dlopen(const char*, int);
void* wick_old_dlsym(void*, const char*);
char* wick_old_dlerror(void);
int wick_old_dladdr(const void*, Dl_info*);
int wick_old_pthread_once(pthread_once_t*, void (*)(void));
int wick_old_pthread_key_create(pthread_key_t*, void (*)(void*));
WICK_OLD_SYMBOL(wick_old_dlopen, dlopen);
WICK_OLD_SYMBOL(wick_old_dlsym, dlsym);
WICK_OLD_SYMBOL(wick_old_dlerror, dlerror);
WICK_OLD_SYMBOL(wick_old_dladdr, dladdr);
WICK_OLD_SYMBOL(wick_old_pthread_once, pthread_once);
WICK_OLD_SYMBOL(wick_old_pthread_key_create, __pthread_key_create);

__attribute__((visibility("hidden"))) void* __wrap_dlopen(const char* file, int mode) { return wick_old_dlopen(file, mode); }
__attribute__((visibility("hidden"))) void* __wrap_dlsym(void* handle, const char* name) { return wick_old_dlsym(handle, name); }
__attribute__((visibility("hidden"))) char* __wrap_dlerror(void) { return wick_old_dlerror(); }
__attribute__((visibility("hidden"))) int __wrap_dladdr(const void* address, Dl_info* info) { return wick_old_dladdr(address, info); }
__attribute__((visibility("hidden"))) int __wrap_pthread_once(pthread_once_t* once, void (*init)(void)) {
    return wick_old_pthread_once(once, init);
}
__attribute__((visibility("hidden"))) int __wrap___pthread_key_create(pthread_key_t* key, void (*destructor)(void*)) {
    return wick_old_pthread_key_create(key, destructor);
}

// The thread pool's threads (std::thread) and libstdc++'s thread support: old versions in libpthread.so.0.
int wick_old_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int wick_old_pthread_join(pthread_t, void**);
int wick_old_pthread_detach(pthread_t);
int wick_old_pthread_key_create2(pthread_key_t*, void (*)(void*));
int wick_old_pthread_key_delete(pthread_key_t);
void* wick_old_pthread_getspecific(pthread_key_t);
int wick_old_pthread_setspecific(pthread_key_t, const void*);
int wick_old_pthread_mutex_trylock(pthread_mutex_t*);
WICK_OLD_SYMBOL(wick_old_pthread_create, pthread_create);
WICK_OLD_SYMBOL(wick_old_pthread_join, pthread_join);
WICK_OLD_SYMBOL(wick_old_pthread_detach, pthread_detach);
WICK_OLD_SYMBOL(wick_old_pthread_key_create2, pthread_key_create);
WICK_OLD_SYMBOL(wick_old_pthread_key_delete, pthread_key_delete);
WICK_OLD_SYMBOL(wick_old_pthread_getspecific, pthread_getspecific);
WICK_OLD_SYMBOL(wick_old_pthread_setspecific, pthread_setspecific);
WICK_OLD_SYMBOL(wick_old_pthread_mutex_trylock, pthread_mutex_trylock);

__attribute__((visibility("hidden"))) int __wrap_pthread_create(pthread_t* t, const pthread_attr_t* attr, void* (*fn)(void*), void* arg) {
    return wick_old_pthread_create(t, attr, fn, arg);
}
__attribute__((visibility("hidden"))) int __wrap_pthread_join(pthread_t t, void** result) { return wick_old_pthread_join(t, result); }
__attribute__((visibility("hidden"))) int __wrap_pthread_detach(pthread_t t) { return wick_old_pthread_detach(t); }
__attribute__((visibility("hidden"))) int __wrap_pthread_key_create(pthread_key_t* key, void (*destructor)(void*)) {
    return wick_old_pthread_key_create2(key, destructor);
}
__attribute__((visibility("hidden"))) int __wrap_pthread_key_delete(pthread_key_t key) { return wick_old_pthread_key_delete(key); }
__attribute__((visibility("hidden"))) void* __wrap_pthread_getspecific(pthread_key_t key) { return wick_old_pthread_getspecific(key); }
__attribute__((visibility("hidden"))) int __wrap_pthread_setspecific(pthread_key_t key, const void* value) {
    return wick_old_pthread_setspecific(key, value);
}
__attribute__((visibility("hidden"))) int __wrap_pthread_mutex_trylock(pthread_mutex_t* m) { return wick_old_pthread_mutex_trylock(m); }

// ---- __libc_single_threaded (2.32) lets libstdc++ skip atomic reference counting while a process
// has one thread. Zero means "maybe several threads": always the atomic path, which is always correct.
__attribute__((visibility("hidden"))) char __wrap___libc_single_threaded = 0;

// ---- arc4random (2.36) backs std::random_device("default") in the static libstdc++; Wick never
// constructs one, but the symbol comes with the object file. getrandom(2) exists since Linux 3.17.
__attribute__((visibility("hidden"))) uint32_t __wrap_arc4random(void) {
    uint32_t value = 0;
    unsigned char* p = reinterpret_cast<unsigned char*>(&value);
    size_t filled = 0;
    while (filled < sizeof value) {
        long n = syscall(SYS_getrandom, p + filled, sizeof value - filled, 0);
        if (n > 0) filled += static_cast<size_t>(n);
        else if (n < 0 && errno != EINTR) break;  // no entropy source: the value is still defined
    }
    return value;
}

// ---- _dl_find_object (2.35): the static unwinder uses it, and only it, to find the .eh_frame_hdr of
// the code a C++ exception passes through. The same answer comes from dl_iterate_phdr (2.2.5), which
// the unwinder used before 2.35. Layout of struct dl_find_object on x86-64 (no dlfo_eh_dbase/count).
struct wick_dl_find_object {
    unsigned long long flags;
    void* map_start;
    void* map_end;
    struct link_map* link_map;
    void* eh_frame;
    unsigned long long reserved[7];
};

namespace {
struct FindRequest {
    uintptr_t pc;
    wick_dl_find_object* result;
    bool found;
};

int find_object_callback(struct dl_phdr_info* info, size_t, void* data) {
    auto* request = static_cast<FindRequest*>(data);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    bool contains = false;
    const void* eh_frame = nullptr;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph.p_vaddr;
        if (ph.p_type == PT_LOAD) {
            uintptr_t end = start + ph.p_memsz;
            if (start < lo) lo = start;
            if (end > hi) hi = end;
            if (request->pc >= start && request->pc < end) contains = true;
        } else if (ph.p_type == PT_GNU_EH_FRAME) {
            eh_frame = reinterpret_cast<const void*>(start);
        }
    }
    if (!contains) return 0;
    std::memset(request->result, 0, sizeof *request->result);
    request->result->map_start = reinterpret_cast<void*>(lo);
    request->result->map_end = reinterpret_cast<void*>(hi);
    request->result->eh_frame = const_cast<void*>(eh_frame);
    request->found = true;
    return 1;  // stop iterating
}
}  // namespace

__attribute__((visibility("hidden"))) int __wrap__dl_find_object(void* pc, wick_dl_find_object* result) {
    FindRequest request{reinterpret_cast<uintptr_t>(pc), result, false};
    dl_iterate_phdr(find_object_callback, &request);
    return request.found ? 0 : -1;
}

}  // extern "C"
