#include "ops/optim.h"

#include <cmath>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/kernels_optim.h"
#include "ops/common.h"

namespace wick {

namespace {

// One operand of a step: the caller's tensor and the contiguous tensor the kernel works on (the
// same one unless the caller's is strided, when updates go through a copy that is written back).
struct Operand {
    Operand(const char* n, TensorRef t, bool w) : name(n), given(std::move(t)), written(w) {}
    const char* name;
    TensorRef given;
    TensorRef work;
    bool written;
};

// Byte range [first, last) a tensor can touch in its storage.
void byte_range(const Tensor& t, int64_t* first, int64_t* last) {
    int64_t lo = t.offset(), hi = t.offset();
    for (int d = 0; d < t.ndim(); ++d) {
        if (t.size(d) == 0) {
            *first = *last = 0;
            return;
        }
        int64_t span = (t.size(d) - 1) * t.stride(d);
        if (span < 0) lo += span; else hi += span;
    }
    int64_t es = static_cast<int64_t>(dtype_size(t.dtype()));
    *first = lo * es;
    *last = (hi + 1) * es;
}

bool overlap(const Tensor& a, const Tensor& b) {
    if (a.storage().id() != b.storage().id() || a.numel() == 0 || b.numel() == 0) return false;
    int64_t a0, a1, b0, b1;
    byte_range(a, &a0, &a1);
    byte_range(b, &b0, &b1);
    return a0 < b1 && b0 < a1;
}

// Checks the operands of one step (param first, grad second), prepares contiguous working tensors,
// runs the kernel on their views and writes strided operands back.
class Step {
public:
    Step(const char* op, std::initializer_list<Operand> operands) : op_(op), ops_(operands) {
        const Tensor& p = *ops_[0].given;
        check(dtype_is_floating(p.dtype()) && (p.dtype() == DType::F32 || p.dtype() == DType::F64), WK_ERR_DTYPE, op,
              ": parameters must be float32 or float64, got ", dtype_name(p.dtype()),
              "; keep a float32 master copy of lower-precision weights");
        for (size_t i = 1; i < ops_.size(); ++i) {
            const Operand& o = ops_[i];
            if (!o.given) continue;
            const Tensor& t = *o.given;
            check(t.sizes() == p.sizes(), WK_ERR_SHAPE, op, ": ", o.name, " has shape ", t.sizes(),
                  " but the parameter has shape ", p.sizes(), "; they must match");
            check(t.dtype() == p.dtype(), WK_ERR_DTYPE, op, ": ", o.name, " is ", dtype_name(t.dtype()),
                  " but the parameter is ", dtype_name(p.dtype()), "; they must match");
            check(t.device() == p.device(), WK_ERR_DEVICE, op, ": ", o.name, " is on ", t.device(),
                  " but the parameter is on ", p.device(), "; move it with To(device)");
        }
        for (size_t i = 0; i < ops_.size(); ++i) {
            if (!ops_[i].given) continue;
            if (ops_[i].written) check_writable(*ops_[i].given, op);
            for (size_t j = i + 1; j < ops_.size(); ++j) {
                if (!ops_[j].given || (!ops_[i].written && !ops_[j].written)) continue;
                check(!overlap(*ops_[i].given, *ops_[j].given), WK_ERR_INVALID_ARGUMENT, op, ": ", ops_[i].name,
                      " and ", ops_[j].name, " share memory; each needs its own tensor");
            }
        }
    }

    // Needed state buffers must be present (an option asked for them).
    void require(size_t index, bool needed, const char* why) const {
        check(!needed || ops_[index].given, WK_ERR_INVALID_ARGUMENT, op_, ": ", ops_[index].name,
              " is required ", why);
    }

    View view(size_t index) {
        Operand& o = ops_[index];
        if (!o.given) return View{};
        if (!o.work) o.work = contiguous(o.given);
        return view_of(*o.work);
    }

    int64_t numel() const { return ops_[0].given->numel(); }

    const Backend& backend() const { return backend_for(ops_[0].given->device()); }

    void finish() {
        for (Operand& o : ops_) {
            if (!o.given || !o.written) continue;
            if (o.work && o.work.get() != o.given.get()) copy_into(*o.given, *o.work);
            o.given->storage().bump_version();
        }
    }

private:
    const char* op_;
    std::vector<Operand> ops_;
};

void check_finite(const char* op, const char* name, double v) {
    check(std::isfinite(v), WK_ERR_INVALID_ARGUMENT, op, ": ", name, " must be finite, got ", v);
}

void check_non_negative(const char* op, const char* name, double v) {
    check_finite(op, name, v);
    check(v >= 0, WK_ERR_INVALID_ARGUMENT, op, ": ", name, " must be non-negative, got ", v);
}

}  // namespace

void sgd_step(const TensorRef& param, const TensorRef& grad, const TensorRef& momentum_buffer,
              const wk_sgd_options& o) {
    const char* op = "SGD";
    check_non_negative(op, "lr", o.lr);
    check_non_negative(op, "momentum", o.momentum);
    check_finite(op, "dampening", o.dampening);
    check_non_negative(op, "weight_decay", o.weight_decay);
    check(!o.nesterov || (o.momentum > 0 && o.dampening == 0), WK_ERR_INVALID_ARGUMENT, op,
          ": Nesterov momentum requires a momentum and zero dampening");
    const bool mom = o.momentum != 0;
    Step s(op, {{"param", param, true},
                {"grad", grad, false},
                {"momentum_buffer", mom ? momentum_buffer : TensorRef(), true}});
    s.require(2, mom, "when momentum is not 0");
    if (s.numel() > 0) {
        const Backend& be = s.backend();
        launch(be, be.optim->sgd, op, s.view(0), s.view(1), s.view(2), o);
    }
    s.finish();
}

void adam_step(const TensorRef& param, const TensorRef& grad, const TensorRef& exp_avg, const TensorRef& exp_avg_sq,
               const TensorRef& max_exp_avg_sq, const wk_adam_options& o) {
    const char* op = o.decoupled_weight_decay ? "AdamW" : "Adam";
    check_non_negative(op, "lr", o.lr);
    check_non_negative(op, "eps", o.eps);
    check_non_negative(op, "weight_decay", o.weight_decay);
    check(o.beta1 >= 0 && o.beta1 < 1, WK_ERR_INVALID_ARGUMENT, op, ": beta1 must be in [0, 1), got ", o.beta1);
    check(o.beta2 >= 0 && o.beta2 < 1, WK_ERR_INVALID_ARGUMENT, op, ": beta2 must be in [0, 1), got ", o.beta2);
    check(o.step >= 1, WK_ERR_INVALID_ARGUMENT, op, ": step must be at least 1 (the first step is 1), got ", o.step);
    Step s(op, {{"param", param, true},
                {"grad", grad, false},
                {"exp_avg", exp_avg, true},
                {"exp_avg_sq", exp_avg_sq, true},
                {"max_exp_avg_sq", o.amsgrad ? max_exp_avg_sq : TensorRef(), true}});
    s.require(2, true, "always");
    s.require(3, true, "always");
    s.require(4, o.amsgrad != 0, "with amsgrad");
    if (s.numel() > 0) {
        const Backend& be = s.backend();
        launch(be, be.optim->adam, op, s.view(0), s.view(1), s.view(2), s.view(3), s.view(4), o);
    }
    s.finish();
}

void rmsprop_step(const TensorRef& param, const TensorRef& grad, const TensorRef& square_avg,
                  const TensorRef& grad_avg, const TensorRef& momentum_buffer, const wk_rmsprop_options& o) {
    const char* op = "RMSprop";
    check_non_negative(op, "lr", o.lr);
    check_non_negative(op, "eps", o.eps);
    check_non_negative(op, "weight_decay", o.weight_decay);
    check_non_negative(op, "momentum", o.momentum);
    check_non_negative(op, "alpha", o.alpha);
    const bool mom = o.momentum > 0;
    Step s(op, {{"param", param, true},
                {"grad", grad, false},
                {"square_avg", square_avg, true},
                {"grad_avg", o.centered ? grad_avg : TensorRef(), true},
                {"momentum_buffer", mom ? momentum_buffer : TensorRef(), true}});
    s.require(2, true, "always");
    s.require(3, o.centered != 0, "when centered");
    s.require(4, mom, "when momentum is not 0");
    if (s.numel() > 0) {
        const Backend& be = s.backend();
        launch(be, be.optim->rmsprop, op, s.view(0), s.view(1), s.view(2), s.view(3), s.view(4), o);
    }
    s.finish();
}

void adagrad_step(const TensorRef& param, const TensorRef& grad, const TensorRef& state_sum,
                  const wk_adagrad_options& o) {
    const char* op = "Adagrad";
    check_non_negative(op, "lr", o.lr);
    check_non_negative(op, "lr_decay", o.lr_decay);
    check_non_negative(op, "eps", o.eps);
    check_non_negative(op, "weight_decay", o.weight_decay);
    check(o.step >= 1, WK_ERR_INVALID_ARGUMENT, op, ": step must be at least 1 (the first step is 1), got ", o.step);
    Step s(op, {{"param", param, true}, {"grad", grad, false}, {"state_sum", state_sum, true}});
    s.require(2, true, "always");
    if (s.numel() > 0) {
        const Backend& be = s.backend();
        launch(be, be.optim->adagrad, op, s.view(0), s.view(1), s.view(2), o);
    }
    s.finish();
}

}  // namespace wick
