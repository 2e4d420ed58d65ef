// dropout, embedding and upsampling (nearest, bilinear), with the backward ops of the last two.
#include <cmath>

#include "ops/nn_common.h"
#include "ops/views.h"

namespace wick {

using namespace nnops;

Tensors2 dropout(const TensorRef& x, double p, bool training, Generator& gen) {
    const char* op = "dropout";
    check(p >= 0 && p <= 1, WK_ERR_INVALID_ARGUMENT, op, ": probability must be between 0 and 1, got ", p);
    const DType compute = float_compute(*x, op);
    if (!training) return {x, TensorRef{}};
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(x->sizes(), compute, x->device());
    TensorRef mask = Tensor::empty(x->sizes(), DType::Bool, x->device());
    const int64_t n = x->numel();
    if (n > 0) {
        uint64_t seed = 0, offset = 0;
        gen.reserve(static_cast<uint64_t>(n), &seed, &offset);
        const Backend& be = backend_for(x->device());
        launch(be, be.nn->dropout, op, view_of(*out), view_of(*mask), view_of(*xc), p, seed, offset);
    }
    return {to_user(out, x->dtype()), mask};
}

namespace {

TensorRef checked_indices(const TensorRef& indices, const Tensor& other, const char* op) {
    check_same_device(*indices, other, op);
    check(dtype_is_integral(indices->dtype()) && indices->dtype() != DType::Bool, WK_ERR_DTYPE, op,
          ": indices must be an integer tensor, got ", dtype_name(indices->dtype()), "; convert with To(DType.Int64)");
    return prepared(indices, DType::I64);
}

}  // namespace

TensorRef embedding(const TensorRef& weight, const TensorRef& indices) {
    const char* op = "embedding";
    check(weight->ndim() == 2, WK_ERR_SHAPE, op, ": weight must be 2-D (num_embeddings, embedding_dim), got shape ",
          weight->sizes());
    TensorRef idx = checked_indices(indices, *weight, op);
    Shape out_shape = indices->sizes();
    out_shape.push_back(weight->size(1));
    TensorRef wc = contiguous(weight);
    TensorRef out = Tensor::empty(out_shape, weight->dtype(), weight->device());
    const Backend& be = backend_for(weight->device());
    if (out->numel() > 0 || idx->numel() > 0)
        launch(be, be.nn->embedding, op, folded(*out, {idx->numel(), weight->size(1)}), view_of(*wc),
               folded(*idx, {idx->numel()}));
    return out;
}

TensorRef embedding_backward(const TensorRef& grad_out, const TensorRef& indices, int64_t num_weights, bool has_padding_idx,
                             int64_t padding_idx) {
    const char* op = "embedding_backward";
    check(num_weights >= 0, WK_ERR_INVALID_ARGUMENT, op, ": num_weights must be non-negative, got ", num_weights);
    TensorRef idx = checked_indices(indices, *grad_out, op);
    const DType compute = float_compute(*grad_out, op);
    bool ok = grad_out->ndim() == indices->ndim() + 1;
    for (int i = 0; ok && i < indices->ndim(); ++i) ok = grad_out->size(i) == indices->size(i);
    if (!ok)
        fail(WK_ERR_SHAPE, op, ": grad_output of shape ", grad_out->sizes(), " does not fit indices of shape ", indices->sizes(),
             ": expected the indices' shape plus the embedding dimension");
    if (has_padding_idx) {
        check(padding_idx >= -num_weights && padding_idx < num_weights, WK_ERR_INDEX, op, ": padding_idx ", padding_idx,
              " is out of range for ", num_weights, " embeddings");
        if (padding_idx < 0) padding_idx += num_weights;
    } else {
        padding_idx = -1;
    }
    const int64_t D = grad_out->size(grad_out->ndim() - 1);
    TensorRef g = prepared(grad_out, compute);
    TensorRef gw = Tensor::empty(Shape{num_weights, D}, compute, grad_out->device());
    const Backend& be = backend_for(grad_out->device());
    launch(be, be.nn->embedding_backward, op, view_of(*gw), folded(*g, {idx->numel(), D}), folded(*idx, {idx->numel()}),
           padding_idx);
    return to_user(gw, grad_out->dtype());
}

namespace {

const char* upsample_name(bool bilinear) { return bilinear ? "upsample_bilinear2d" : "upsample_nearest2d"; }

void check_scales(double sh, double sw, const char* op) {
    check(std::isfinite(sh) && std::isfinite(sw) && sh >= 0 && sw >= 0, WK_ERR_INVALID_ARGUMENT, op,
          ": scale factors must be positive (0: derive from the sizes), got ", sh, " and ", sw);
}

View planes(const Tensor& t) {
    const Shape& s = t.sizes();
    return folded(t, {s[0] * s[1], s[2], s[3]});
}

}  // namespace

TensorRef upsample2d(const TensorRef& x, int64_t oh, int64_t ow, bool bilinear, bool align_corners, double scale_h,
                     double scale_w) {
    const char* op = upsample_name(bilinear);
    check(x->ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W), got shape ", x->sizes());
    check(oh >= 1 && ow >= 1, WK_ERR_INVALID_ARGUMENT, op, ": output size must be positive, got ", oh, "x", ow);
    check(x->size(2) >= 1 && x->size(3) >= 1, WK_ERR_SHAPE, op, ": the input ", x->sizes(), " has an empty spatial dimension");
    check_scales(scale_h, scale_w, op);
    const DType compute = float_compute(*x, op);
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(Shape{x->size(0), x->size(1), oh, ow}, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (out->numel() > 0) {
        if (bilinear) launch(be, be.nn->upsample_bilinear2d, op, planes(*out), planes(*xc), align_corners, scale_h, scale_w);
        else launch(be, be.nn->upsample_nearest2d, op, planes(*out), planes(*xc), scale_h, scale_w);
    }
    return to_user(out, x->dtype());
}

TensorRef upsample2d_backward(const TensorRef& grad_out, const Shape& input_shape, bool bilinear, bool align_corners,
                              double scale_h, double scale_w) {
    const char* op = bilinear ? "upsample_bilinear2d_backward" : "upsample_nearest2d_backward";
    check(input_shape.ndim == 4 && input_shape.numel() >= 0, WK_ERR_SHAPE, op, ": expected an input shape (N, C, H, W), got ",
          input_shape);
    check(grad_out->ndim() == 4 && grad_out->size(0) == input_shape[0] && grad_out->size(1) == input_shape[1], WK_ERR_SHAPE, op,
          ": grad_output ", grad_out->sizes(), " does not match the input shape ", input_shape, " in N and C");
    check(input_shape[2] >= 1 && input_shape[3] >= 1, WK_ERR_SHAPE, op, ": the input shape ", input_shape,
          " has an empty spatial dimension");
    check_scales(scale_h, scale_w, op);
    const DType compute = float_compute(*grad_out, op);
    TensorRef g = prepared(grad_out, compute);
    TensorRef gx = Tensor::empty(input_shape, compute, grad_out->device());
    const Backend& be = backend_for(grad_out->device());
    if (gx->numel() > 0) {
        if (grad_out->numel() == 0) {
            launch(be, be.elementwise->fill, op, view_of(*gx), Scalar::from_int(0));
        } else if (bilinear) {
            launch(be, be.nn->upsample_bilinear2d_backward, op, planes(*gx), planes(*g), align_corners, scale_h, scale_w);
        } else {
            launch(be, be.nn->upsample_nearest2d_backward, op, planes(*gx), planes(*g), scale_h, scale_w);
        }
    }
    return to_user(gx, grad_out->dtype());
}

}  // namespace wick
