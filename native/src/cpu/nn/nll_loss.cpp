// Negative log-likelihood over input (N, C, S) and targets (N, S): loss = -weight[t] * input[n, t, s],
// skipping ignore_index. Sums run in double (the mean divides by the summed weights).
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

namespace {

void check_target(int64_t t, int64_t classes, int64_t ignore_index) {
    if (t != ignore_index && (t < 0 || t >= classes))
        fail(WK_ERR_INDEX, "nll_loss: target ", t, " is out of bounds for ", classes, " classes (expected 0 to ", classes - 1,
             ", or ignore_index ", ignore_index, ")");
}

}  // namespace

void nll_loss(const View& loss, const View& total_weight, const View& input, const View& target, const View& weight,
              int32_t reduction, int64_t ignore_index) {
    const int64_t N = input.sizes[0], C = input.sizes[1], S = input.sizes[2];
    const int64_t* tg = ptr<const int64_t>(target);
    dispatch_float(input.dtype, "nll_loss", [&](auto tag) {
        using T = decltype(tag);
        const T* in = ptr<const T>(input);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        double sum = 0, wsum = 0;
        for (int64_t n = 0; n < N; ++n)
            for (int64_t s = 0; s < S; ++s) {
                const int64_t t = tg[n * S + s];
                check_target(t, C, ignore_index);
                double l = 0, wt = 0;
                if (t != ignore_index) {
                    wt = w ? double(w[t]) : 1.0;
                    l = -wt * double(in[(n * C + t) * S + s]);
                }
                if (reduction == WK_REDUCTION_NONE) ptr<T>(loss)[n * S + s] = static_cast<T>(l);
                sum += l;
                wsum += wt;
            }
        if (reduction == WK_REDUCTION_SUM) *ptr<T>(loss) = static_cast<T>(sum);
        if (reduction == WK_REDUCTION_MEAN) *ptr<T>(loss) = static_cast<T>(sum / wsum);  // all ignored: 0 / 0 = NaN, as PyTorch
        *ptr<T>(total_weight) = static_cast<T>(wsum);
    });
}

void nll_loss_backward(const View& grad_input, const View& grad_loss, const View& target, const View& weight,
                       const View& total_weight, int32_t reduction, int64_t ignore_index) {
    const int64_t N = grad_input.sizes[0], C = grad_input.sizes[1], S = grad_input.sizes[2];
    const int64_t* tg = ptr<const int64_t>(target);
    dispatch_float(grad_input.dtype, "nll_loss_backward", [&](auto tag) {
        using T = decltype(tag);
        T* gi = ptr<T>(grad_input);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const T* gl = ptr<const T>(grad_loss);
        std::fill(gi, gi + N * C * S, T(0));
        const T scale = reduction == WK_REDUCTION_MEAN ? gl[0] / *ptr<const T>(total_weight) : gl[0];
        for (int64_t n = 0; n < N; ++n)
            for (int64_t s = 0; s < S; ++s) {
                const int64_t t = tg[n * S + s];
                check_target(t, C, ignore_index);
                if (t == ignore_index) continue;
                const T g = reduction == WK_REDUCTION_NONE ? gl[n * S + s] : scale;
                gi[(n * C + t) * S + s] = -(w ? w[t] : T(1)) * g;
            }
    });
}

}  // namespace wick::cpu::nn
