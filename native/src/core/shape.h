// A small fixed-capacity list of dimension sizes or strides (at most WK_MAX_DIMS), plus the
// shape arithmetic every op shares: wrapping dims, contiguous strides, broadcasting.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>

#include "wick/wick.h"

namespace wick {

constexpr int kMaxDims = WK_MAX_DIMS;

struct Shape {
    int32_t ndim = 0;
    int64_t v[kMaxDims] = {};

    Shape() = default;
    Shape(std::initializer_list<int64_t> values);
    // Copies ndim values from a caller's array; throws if ndim is negative or above kMaxDims.
    static Shape from(const int64_t* values, int32_t ndim, const char* what);

    int64_t& operator[](int i) { return v[i]; }
    int64_t operator[](int i) const { return v[i]; }
    int64_t numel() const;
    void push_back(int64_t x);
    void insert(int at, int64_t x);
    void erase(int at);
    const int64_t* begin() const { return v; }
    const int64_t* end() const { return v + ndim; }
    bool operator==(const Shape& o) const;
    bool operator!=(const Shape& o) const { return !(*this == o); }
};

std::ostream& operator<<(std::ostream& os, const Shape& s);

// Row-major strides for sizes.
Shape contiguous_strides(const Shape& sizes);
// Wraps a possibly negative dim into [0, ndim); throws an index error naming the op otherwise.
int wrap_dim(int64_t dim, int ndim, const char* op);
// The broadcast shape of a and b; throws a shape error naming op and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
// Strides that view a tensor of (sizes, strides) as the larger broadcast shape `to` (stride 0 where expanded).
Shape broadcast_strides(const Shape& sizes, const Shape& strides, const Shape& to);
// Checked product of sizes (overflow and negative sizes throw).
int64_t checked_numel(const Shape& sizes, const char* op);

}  // namespace wick
