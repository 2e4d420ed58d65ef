// Turns a throwing implementation `void impl(args...)` into the backend table's
// `wk_status fn(args...) noexcept`, keeping the message for this library's last_error().
#pragma once

#include <new>

#include "core/error.h"

namespace wick::cuda {

template <auto Fn>
struct Guarded;

template <class... Args, void (*Fn)(Args...)>
struct Guarded<Fn> {
    static wk_status call(Args... args) noexcept {
        try {
            Fn(args...);
            return WK_OK;
        } catch (const Error& e) {
            return set_last_error(e.status(), e.what());
        } catch (const std::bad_alloc&) {
            return set_last_error(WK_ERR_OUT_OF_MEMORY, "out of host memory in the CUDA backend");
        } catch (const std::exception& e) {
            return set_last_error(WK_ERR_INTERNAL, e.what());
        } catch (...) {
            return set_last_error(WK_ERR_INTERNAL, "unknown exception in the CUDA backend");
        }
    }
};

template <auto Fn>
constexpr auto guarded = &Guarded<Fn>::call;

}  // namespace wick::cuda
