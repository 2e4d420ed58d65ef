#include "ops/op_info.h"

#include "core/error.h"

namespace wick {

namespace {

constexpr OpInfo kUnary[WK_UNARY_OP_COUNT] = {
    {"neg", TypeRule::Same, false},           {"abs", TypeRule::Same, false},
    {"sign", TypeRule::Same, true},           {"exp", TypeRule::FloatResult, false},
    {"expm1", TypeRule::FloatResult, false},  {"log", TypeRule::FloatResult, false},
    {"log1p", TypeRule::FloatResult, false},  {"log2", TypeRule::FloatResult, false},
    {"sqrt", TypeRule::FloatResult, false},   {"rsqrt", TypeRule::FloatResult, false},
    {"reciprocal", TypeRule::FloatResult, false}, {"square", TypeRule::Same, false},
    {"sin", TypeRule::FloatResult, false},    {"cos", TypeRule::FloatResult, false},
    {"tan", TypeRule::FloatResult, false},    {"tanh", TypeRule::FloatResult, false},
    {"sigmoid", TypeRule::FloatResult, false}, {"relu", TypeRule::Same, false},
    {"gelu", TypeRule::FloatResult, false},   {"gelu_tanh", TypeRule::FloatResult, false},
    {"silu", TypeRule::FloatResult, false},   {"softplus", TypeRule::FloatResult, false},
    {"elu", TypeRule::FloatResult, false},    {"leaky_relu", TypeRule::FloatResult, false},
    {"erf", TypeRule::FloatResult, false},    {"floor", TypeRule::Same, false},
    {"ceil", TypeRule::Same, false},          {"round", TypeRule::Same, false},
    {"trunc", TypeRule::Same, false},         {"clamp", TypeRule::Same, false},
    {"isnan", TypeRule::BoolResult, true},    {"isinf", TypeRule::BoolResult, true},
    {"isfinite", TypeRule::BoolResult, true}, {"logical_not", TypeRule::BoolResult, true},
    {"asin", TypeRule::FloatResult, false},   {"acos", TypeRule::FloatResult, false},
    {"atan", TypeRule::FloatResult, false},   {"sinh", TypeRule::FloatResult, false},
    {"cosh", TypeRule::FloatResult, false},   {"log10", TypeRule::FloatResult, false},
    {"exp2", TypeRule::FloatResult, false},
};

constexpr OpInfo kBinary[WK_BINARY_OP_COUNT] = {
    {"add", TypeRule::Same, true},           {"sub", TypeRule::Same, false},
    {"mul", TypeRule::Same, true},           {"div", TypeRule::FloatResult, false},
    {"floor_divide", TypeRule::Same, false}, {"remainder", TypeRule::Same, false},
    {"pow", TypeRule::Same, false},          {"atan2", TypeRule::FloatResult, false},
    {"maximum", TypeRule::Same, true},       {"minimum", TypeRule::Same, true},
    {"eq", TypeRule::BoolResult, true},      {"ne", TypeRule::BoolResult, true},
    {"lt", TypeRule::BoolResult, true},      {"le", TypeRule::BoolResult, true},
    {"gt", TypeRule::BoolResult, true},      {"ge", TypeRule::BoolResult, true},
    {"logical_and", TypeRule::BoolResult, true}, {"logical_or", TypeRule::BoolResult, true},
    {"logical_xor", TypeRule::BoolResult, true}, {"bitwise_and", TypeRule::IntegralOnly, true},
    {"bitwise_or", TypeRule::IntegralOnly, true}, {"bitwise_xor", TypeRule::IntegralOnly, true},
    {"fmod", TypeRule::Same, false},
};

constexpr const char* kReduce[WK_REDUCE_OP_COUNT] = {
    "sum", "mean", "prod", "amax", "amin", "var", "std", "norm", "logsumexp", "all", "any", "argmax", "argmin",
};

constexpr const char* kTernary[WK_TERNARY_OP_COUNT] = {"where", "lerp", "addcmul", "addcdiv", "clamp"};
constexpr const char* kScan[WK_SCAN_OP_COUNT] = {"cumsum", "cumprod"};

}  // namespace

const char* ternary_name(wk_ternary_op op) { return kTernary[op]; }
const char* scan_name(wk_scan_op op) { return kScan[op]; }

const OpInfo& unary_info(wk_unary_op op) { return kUnary[op]; }
const OpInfo& binary_info(wk_binary_op op) { return kBinary[op]; }
const char* reduce_name(wk_reduce_op op) { return kReduce[op]; }

wk_unary_op unary_op_from_abi(int32_t id) {
    check(id >= 0 && id < WK_UNARY_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "unknown unary op id ", id);
    return static_cast<wk_unary_op>(id);
}
wk_binary_op binary_op_from_abi(int32_t id) {
    check(id >= 0 && id < WK_BINARY_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "unknown binary op id ", id);
    return static_cast<wk_binary_op>(id);
}
wk_reduce_op reduce_op_from_abi(int32_t id) {
    check(id >= 0 && id < WK_REDUCE_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "unknown reduce op id ", id);
    return static_cast<wk_reduce_op>(id);
}

wk_ternary_op ternary_op_from_abi(int32_t id) {
    check(id >= 0 && id < WK_TERNARY_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "unknown ternary op id ", id);
    return static_cast<wk_ternary_op>(id);
}
wk_scan_op scan_op_from_abi(int32_t id) {
    check(id >= 0 && id < WK_SCAN_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "unknown scan op id ", id);
    return static_cast<wk_scan_op>(id);
}

}  // namespace wick
