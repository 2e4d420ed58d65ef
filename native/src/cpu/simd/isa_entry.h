// The entry points each per-ISA source defines in its namespace, assembled into that ISA's
// IsaKernels table by isa_table.cpp. Only included inside an isa_begin.h region, so declarations
// and definitions carry the same target.
#pragma once

#include "cpu/simd/isa_kernels.h"

namespace wick::cpu::WICK_ISA_NS {

void unary_run(wk_unary_op op, DType dt, char* out, const char* x, int64_t n, double p0, double p1);
int32_t binary_run(wk_binary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                   int64_t n);
void ternary_run(wk_ternary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                 const char* c, int64_t sc, int64_t n, double s);
void fold_run(Fold op, DType dt, const char* x, int64_t n, int64_t index0, double center, FoldAcc* acc);
void fold_rows_run(Fold op, DType dt, const char* x, int64_t n, int64_t row, const double* centers, double param,
                   double* accf, int64_t* acci, int64_t* index);
void scan_run(wk_scan_op op, DType dt, char* out, const char* x, int64_t n, double* accf, int64_t* acci, bool rows);

extern const IsaKernels kIsaTable;

}  // namespace wick::cpu::WICK_ISA_NS
