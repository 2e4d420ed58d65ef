// The per-instruction-set kernel table: contiguous (or broadcast-scalar) inner loops that the
// strided drivers (cpu/unary.cpp, binary.cpp, ternary.cpp, reduce.cpp, scan.cpp) call one run at a
// time. Each ISA's table is compiled from the same sources (src/cpu/simd/*.cpp) in its own namespace;
// isa_kernels() picks the one for the active ISA (core/cpu_features.h). Plain data crosses here.
#pragma once

#include <cstdint>

#include "core/dtype.h"
#include "wick/wick.h"

namespace wick::cpu {

// Status of a binary run: integer division by zero and negative integer powers have no value; the
// run stores 0 there and reports it, and the driver raises the error after the loop.
enum BinaryFlags : int32_t { kBinaryOk = 0, kIntDivByZero = 1, kNegativeIntPow = 2 };

// Ternary elementwise ops (wk_ternary_op in wick.h).
// The folds reductions are built from. Float inputs fold into a double, integer and bool inputs into
// an int64 (`FoldAcc`); arg folds also keep the index of the best element (first one on ties; the
// first NaN wins for float inputs).
enum class Fold : int32_t {
    Sum, Prod, Max, Min, AbsSum, SqSum, DevSqSum /* (x - center)^2 */, ExpSum /* e^(x - center) */,
    PowSum /* |x|^center */, AbsMax, AbsMin, CountNonzero, All, Any, ArgMax, ArgMin,
};

struct FoldAcc {
    double f = 0;
    int64_t i = 0;
    int64_t index = 0;
};

struct IsaKernels {
    const char* name;
    // out[i] = op(x[i]) for n contiguous elements of dtype dt; out has dt, or bool for predicates.
    void (*unary)(wk_unary_op op, DType dt, char* out, const char* x, int64_t n, double p0, double p1);
    // out[i] = a[i * sa] op b[i * sb] with sa, sb in {0, 1}; out has dt, or bool for comparisons and
    // logical ops. Returns BinaryFlags.
    int32_t (*binary)(wk_binary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                      int64_t n);
    // out[i] = op(a[i * sa], b[i * sb], c[i * sc]), strides in {0, 1}; for where, a is bool; `s` is the
    // op's scalar (lerp weight when c is absent, addcmul/addcdiv value). has_b/has_c false: absent
    // operand (clamp without that bound, lerp with a scalar weight).
    void (*ternary)(wk_ternary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                    const char* c, int64_t sc, int64_t n, double s);
    // Folds n contiguous elements starting at x (element index `index0` of the reduced lane) into acc.
    void (*fold)(Fold op, DType dt, const char* x, int64_t n, int64_t index0, double center, FoldAcc* acc);
    // Column-wise fold of one row of n contiguous elements: acc[j] = fold(acc[j], x[j]). accf is used
    // for float inputs, acci for integer ones, index for arg folds (`row` is this row's index);
    // centers (per column) for DevSqSum and ExpSum, param for PowSum.
    void (*fold_rows)(Fold op, DType dt, const char* x, int64_t n, int64_t row, const double* centers, double param,
                      double* accf, int64_t* acci, int64_t* index);
    // Scans: cumulative sum or product along n contiguous elements (stride 1) or, with rows, column-wise
    // over one row: out[j] = acc[j] = acc[j] op x[j]. dt is f32, f64 or i64; float accumulates in double.
    void (*scan)(wk_scan_op op, DType dt, char* out, const char* x, int64_t n, double* accf, int64_t* acci, bool rows);
};

const IsaKernels& isa_kernels();

// Testing only: makes isa_kernels() return `table` (null restores the active ISA's). The native
// tests use it to run an emulated AVX-512 table on machines without AVX-512.
void set_isa_kernels_override(const IsaKernels* table);

}  // namespace wick::cpu
