// An intrusive refcounted pointer. Objects start with a count of 1 owned by whoever created them;
// Ref adopts or retains explicitly so ownership crossing the C ABI stays visible in the code.
#pragma once

#include <atomic>
#include <utility>

namespace wick {

template <class T>
class Ref {
public:
    Ref() = default;
    static Ref adopt(T* p) { Ref r; r.p_ = p; return r; }
    static Ref retain(T* p) { if (p) p->retain(); return adopt(p); }

    Ref(const Ref& o) : p_(o.p_) { if (p_) p_->retain(); }
    Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Ref& operator=(Ref o) noexcept { std::swap(p_, o.p_); return *this; }
    ~Ref() { if (p_) p_->release(); }

    T* get() const { return p_; }
    T* operator->() const { return p_; }
    T& operator*() const { return *p_; }
    explicit operator bool() const { return p_ != nullptr; }
    // Hands the reference to the caller (for example across the C ABI).
    T* detach() { return std::exchange(p_, nullptr); }

private:
    T* p_ = nullptr;
};

}  // namespace wick
