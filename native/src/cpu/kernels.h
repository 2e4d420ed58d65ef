// The CPU kernel implementations behind the backend table (backend_cpu.cpp). They may throw
// wick::Error; the table wraps each in Guarded.
#pragma once

#include "core/backend.h"

namespace wick::cpu {

void copy(const View& dst, const View& src);
void fill(const View& dst, Scalar value);
void arange(const View& out, double start, double step);
void unary(wk_unary_op op, const View& out, const View& x, double p0, double p1);
void binary(wk_binary_op op, const View& out, const View& a, const View& b);
void binary_scalar(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse);
void ternary(wk_ternary_op op, const View& out, const View& a, const View* b, const View* c, double s);
void reduce(wk_reduce_op op, const View& out, const View& x, double param);
void reduce_indices(wk_reduce_op op, const View& values, const View& indices, const View& x);
void scan(wk_scan_op op, const View& out, const View& x, int32_t dim);
void bmm(const View& c, const View& a, const View& b);
void gemm_batched(const View& c, const View& a, const View& b, double alpha, double beta);
void random_fill(const View& out, wk_random_dist dist, double a, double b, uint64_t seed, uint64_t offset);

}  // namespace wick::cpu
