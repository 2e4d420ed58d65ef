#include "core/shape.h"

#include "core/error.h"

namespace wick {

Shape::Shape(std::initializer_list<int64_t> values) {
    check(values.size() <= static_cast<size_t>(kMaxDims), WK_ERR_INVALID_ARGUMENT, "too many dimensions");
    for (int64_t x : values) v[ndim++] = x;
}

Shape Shape::from(const int64_t* values, int32_t n, const char* what) {
    check(n >= 0 && n <= kMaxDims, WK_ERR_INVALID_ARGUMENT, what, ": ", n,
          " dimensions given; a tensor has between 0 and ", kMaxDims);
    check(n == 0 || values != nullptr, WK_ERR_INVALID_ARGUMENT, what, ": null sizes array with ", n, " dimensions");
    Shape s;
    s.ndim = n;
    for (int i = 0; i < n; ++i) s.v[i] = values[i];
    return s;
}

int64_t Shape::numel() const {
    int64_t n = 1;
    for (int i = 0; i < ndim; ++i) n *= v[i];
    return n;
}

void Shape::push_back(int64_t x) {
    check(ndim < kMaxDims, WK_ERR_INVALID_ARGUMENT, "a tensor has at most ", kMaxDims, " dimensions");
    v[ndim++] = x;
}

void Shape::insert(int at, int64_t x) {
    check(ndim < kMaxDims, WK_ERR_INVALID_ARGUMENT, "a tensor has at most ", kMaxDims, " dimensions");
    for (int i = ndim; i > at; --i) v[i] = v[i - 1];
    v[at] = x;
    ++ndim;
}

void Shape::erase(int at) {
    for (int i = at; i + 1 < ndim; ++i) v[i] = v[i + 1];
    --ndim;
}

bool Shape::operator==(const Shape& o) const {
    if (ndim != o.ndim) return false;
    for (int i = 0; i < ndim; ++i)
        if (v[i] != o.v[i]) return false;
    return true;
}

std::ostream& operator<<(std::ostream& os, const Shape& s) {
    os << '[';
    for (int i = 0; i < s.ndim; ++i) os << (i ? ", " : "") << s.v[i];
    return os << ']';
}

Shape contiguous_strides(const Shape& sizes) {
    Shape st;
    st.ndim = sizes.ndim;
    int64_t acc = 1;
    for (int i = sizes.ndim - 1; i >= 0; --i) {
        st.v[i] = acc;
        acc *= sizes.v[i] > 1 ? sizes.v[i] : 1;
    }
    return st;
}

int wrap_dim(int64_t dim, int ndim, const char* op) {
    int64_t n = ndim > 0 ? ndim : 1;  // a 0-d tensor accepts dim 0 and -1, as in PyTorch
    if (dim < -n || dim >= n)
        fail(WK_ERR_INDEX, op, ": dimension ", dim, " is out of range for a tensor with ", ndim,
             " dimensions (expected ", -n, " to ", n - 1, ")");
    return static_cast<int>(dim < 0 ? dim + n : dim);
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
    Shape out;
    out.ndim = a.ndim > b.ndim ? a.ndim : b.ndim;
    for (int i = 0; i < out.ndim; ++i) {
        int ia = a.ndim - out.ndim + i, ib = b.ndim - out.ndim + i;
        int64_t sa = ia >= 0 ? a.v[ia] : 1, sb = ib >= 0 ? b.v[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1)
            fail(WK_ERR_SHAPE, op, ": shapes ", a, " and ", b, " cannot be broadcast together (dimension ", i,
                 " has sizes ", sa, " and ", sb, "; each must be equal or 1)");
        out.v[i] = sa == 1 ? sb : sa;
    }
    return out;
}

Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& to) {
    Shape st;
    st.ndim = to.ndim;
    for (int i = 0; i < to.ndim; ++i) {
        int j = sizes.ndim - to.ndim + i;
        st.v[i] = (j >= 0 && sizes.v[j] != 1) ? strides.v[j] : 0;
    }
    return st;
}

int64_t checked_numel(const Shape& sizes, const char* op) {
    int64_t n = 1;
    for (int i = 0; i < sizes.ndim; ++i) {
        int64_t s = sizes.v[i];
        check(s >= 0, WK_ERR_INVALID_ARGUMENT, op, ": negative size ", s, " in shape ", sizes);
        if (s != 0 && n > INT64_MAX / s) fail(WK_ERR_INVALID_ARGUMENT, op, ": shape ", sizes, " has too many elements");
        n *= s;
    }
    return n;
}

}  // namespace wick
