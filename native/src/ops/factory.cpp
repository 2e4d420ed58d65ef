#include "ops/factory.h"

#include <cmath>
#include <cstring>

#include "ops/common.h"

namespace wick {

void fill(const Tensor& t, const Scalar& value) {
    check_writable(t, "fill");
    if (t.numel() == 0) return;
    const Backend& be = backend_for(t.device());
    launch(be, be.elementwise->fill, "fill", view_of(t), value);
}

TensorRef full(const Shape& sizes, DType dtype, Device device, const Scalar& value) {
    TensorRef t = Tensor::empty(sizes, dtype, device);
    fill(*t, value);
    return t;
}

TensorRef from_host_data(const void* data, size_t nbytes, const Shape& sizes, DType dtype, Device device) {
    int64_t n = checked_numel(sizes, "from_data");
    size_t expected = static_cast<size_t>(n) * dtype_size(dtype);
    check(nbytes == expected, WK_ERR_INVALID_ARGUMENT, "from_data: shape ", sizes, " of ", dtype_name(dtype),
          " needs ", expected, " bytes but ", nbytes, " were given");
    check(data != nullptr || nbytes == 0, WK_ERR_INVALID_ARGUMENT, "from_data: null data pointer");
    TensorRef t = Tensor::empty(sizes, dtype, device);
    if (nbytes > 0) {
        const Backend& be = backend_for(device);
        check_backend(be, be.memory.copy_from_host(device.index, t->data(), data, nbytes));
    }
    return t;
}

TensorRef arange(double start, double end, double step, DType dtype, Device device) {
    check(step != 0, WK_ERR_INVALID_ARGUMENT, "arange: step must be nonzero");
    check(std::isfinite(start) && std::isfinite(end) && std::isfinite(step), WK_ERR_INVALID_ARGUMENT,
          "arange: start, end and step must be finite (got ", start, ", ", end, ", ", step, ")");
    check((end - start) / step >= 0 || start == end, WK_ERR_INVALID_ARGUMENT, "arange: step ", step,
          " has the wrong sign to go from ", start, " to ", end);
    double count = std::ceil((end - start) / step);
    check(count < 9.0e15, WK_ERR_INVALID_ARGUMENT, "arange: too many elements (", count, ")");
    int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
    TensorRef t = Tensor::empty(Shape{n}, dtype, device);
    if (n > 0) {
        const Backend& be = backend_for(device);
        launch(be, be.elementwise->arange, "arange", view_of(*t), start, step);
    }
    return t;
}

TensorRef linspace(double start, double end, int64_t steps, DType dtype, Device device) {
    check(steps >= 0, WK_ERR_INVALID_ARGUMENT, "linspace: number of steps must be non-negative, got ", steps);
    TensorRef t = Tensor::empty(Shape{steps}, dtype, device);
    if (steps == 0) return t;
    if (steps == 1) {
        fill(*t, Scalar::from_double(start));
        return t;
    }
    // Computed in float64 on the host, then converted: exact endpoints for every dtype.
    TensorRef host = Tensor::empty(Shape{steps}, DType::F64, Device{});
    double* p = reinterpret_cast<double*>(host->data());
    double stepv = (end - start) / static_cast<double>(steps - 1);
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i)  // symmetric from both ends, as PyTorch, so the end is exact
        p[i] = i < half ? start + stepv * static_cast<double>(i) : end - stepv * static_cast<double>(steps - 1 - i);
    TensorRef converted = to_dtype(host, dtype);
    if (device.is_cpu()) return converted;
    return from_host_data(converted->data(), converted->nbytes(), converted->sizes(), dtype, device);
}

TensorRef eye(int64_t rows, int64_t cols, DType dtype, Device device) {
    check(rows >= 0 && cols >= 0, WK_ERR_INVALID_ARGUMENT, "eye: sizes must be non-negative, got ", rows, " x ", cols);
    TensorRef t = full(Shape{rows, cols}, dtype, device, Scalar::from_int(0));
    int64_t n = rows < cols ? rows : cols;
    if (n == 0) return t;
    // The diagonal is a strided view with stride cols + 1.
    TensorRef diag = Tensor::make_view(t->storage_ref(), Shape{n}, Shape{cols + 1}, 0, dtype);
    fill(*diag, Scalar::from_int(1));
    return t;
}

}  // namespace wick
