// Names and type rules of the enumerated ops (wk_unary_op, wk_binary_op, wk_reduce_op).
#pragma once

#include "core/dtype.h"
#include "wick/wick.h"

namespace wick {

// How an elementwise op chooses its result dtype from its (promoted) input dtype.
enum class TypeRule {
    Same,         // result has the input dtype (bool refused where the op makes no sense for it)
    FloatResult,  // integer and bool inputs compute in the default float dtype
    BoolResult,   // predicates and comparisons give bool
    IntegralOnly  // bitwise ops: integers and bool only
};

struct OpInfo {
    const char* name;
    TypeRule rule;
    bool allows_bool;  // Same-rule ops that accept bool input
};

const OpInfo& unary_info(wk_unary_op op);
const OpInfo& binary_info(wk_binary_op op);
const char* reduce_name(wk_reduce_op op);
const char* ternary_name(wk_ternary_op op);
const char* scan_name(wk_scan_op op);

// Validates enum ids that crossed the ABI.
wk_unary_op unary_op_from_abi(int32_t id);
wk_binary_op binary_op_from_abi(int32_t id);
wk_reduce_op reduce_op_from_abi(int32_t id);
wk_ternary_op ternary_op_from_abi(int32_t id);
wk_scan_op scan_op_from_abi(int32_t id);

}  // namespace wick
