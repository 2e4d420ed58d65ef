// The one guard every exported function runs in: no exception crosses the C ABI. Handles are
// unwrapped here with null and liveness checks, and results handed to the caller here.
#pragma once

#include <new>

#include "core/error.h"
#include "core/tensor.h"

namespace wick::api {

template <class F>
wk_status guard(F&& body) noexcept {
    try {
        body();
        return WK_OK;
    } catch (const Error& e) {
        return set_last_error(e.status(), e.what());
    } catch (const std::bad_alloc&) {
        return set_last_error(WK_ERR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return set_last_error(WK_ERR_INTERNAL, e.what());
    } catch (...) {
        return set_last_error(WK_ERR_INTERNAL, "unknown exception inside Wick");
    }
}

inline Tensor& unwrap(wk_tensor h, const char* what) {
    if (h == nullptr) fail(WK_ERR_NULL_HANDLE, what, ": null tensor handle");
    Tensor* t = reinterpret_cast<Tensor*>(h);
    if (!t->alive()) fail(WK_ERR_NULL_HANDLE, what, ": the tensor handle was already released");
    return *t;
}

inline TensorRef unwrap_ref(wk_tensor h, const char* what) { return TensorRef::retain(&unwrap(h, what)); }

// An optional tensor argument (null allowed).
inline Tensor* unwrap_optional(wk_tensor h, const char* what) { return h == nullptr ? nullptr : &unwrap(h, what); }

template <class T>
inline T& out_param(T* p, const char* what) {
    if (p == nullptr) fail(WK_ERR_INVALID_ARGUMENT, what, ": null output pointer");
    return *p;
}

// Hands a reference to the caller through an out-parameter.
inline void give(wk_tensor* out, TensorRef t) { *out = reinterpret_cast<wk_tensor>(t.detach()); }

}  // namespace wick::api
