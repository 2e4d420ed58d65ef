using System;

namespace Wick.NN;

/// <summary>The activation that follows a layer, for <see cref="Init.CalculateGain"/> (PyTorch's nonlinearity names).</summary>
public enum Nonlinearity
{
    /// <summary>No activation: gain 1.</summary>
    Linear,
    /// <summary>A convolution (any dimension or transposed): gain 1.</summary>
    Conv,
    /// <summary>Gain 1.</summary>
    Sigmoid,
    /// <summary>Gain 5/3.</summary>
    Tanh,
    /// <summary>Gain sqrt(2).</summary>
    ReLU,
    /// <summary>Gain sqrt(2 / (1 + slope²)), slope 0.01 by default.</summary>
    LeakyReLU,
    /// <summary>Gain 3/4.</summary>
    SELU,
}

/// <summary>Which fan <see cref="Init.KaimingUniform"/> and <see cref="Init.KaimingNormal"/> preserve the variance of.</summary>
public enum FanMode
{
    /// <summary>The forward pass (inputs per output).</summary>
    FanIn,
    /// <summary>The backward pass (outputs per input).</summary>
    FanOut,
}

/// <summary>
/// Parameter initialisation in place (PyTorch's torch.nn.init), each with an optional seeded
/// <see cref="Generator"/>. Runs without recording gradients, so parameters can be (re)initialised at any time.
/// Each function returns the tensor it filled.
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for an activation (PyTorch's calculate_gain).</summary>
    /// <param name="nonlinearity">The activation.</param>
    /// <param name="param">The negative slope for <see cref="Nonlinearity.LeakyReLU"/> (default 0.01).</param>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.ReLU => Math.Sqrt(2.0),
        Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.SELU => 3.0 / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "CalculateGain: unknown nonlinearity"),
    };

    /// <summary>
    /// (fan_in, fan_out) of a weight of shape [out, in, k...]: in * prod(k) and out * prod(k) (PyTorch's
    /// _calculate_fan_in_and_fan_out). Needs at least 2 dimensions.
    /// </summary>
    public static (long FanIn, long FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long[] s = tensor.Shape;
        if (s.Length < 2)
            throw new ArgumentException($"Init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape [{string.Join(", ", s)}])", nameof(tensor));
        long receptive = 1;
        for (int i = 2; i < s.Length; ++i) receptive *= s[i];
        return (s[1] * receptive, s[0] * receptive);
    }

    /// <summary>Fills with values drawn uniformly from [a, b).</summary>
    public static Tensor Uniform(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) tensor.UniformInPlace(a, b, generator);
        return tensor;
    }

    /// <summary>Fills with values drawn from N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) tensor.NormalInPlace(mean, std, generator);
        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) tensor.Fill(value);
        return tensor;
    }

    /// <summary>Fills with zeros.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Fills with ones.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        double a = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -a, a, generator);
    }

    /// <summary>Glorot normal: N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Normal(tensor, 0, std, generator);
    }

    /// <summary>
    /// He uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan), gain from <paramref name="nonlinearity"/> and
    /// <paramref name="a"/> (the negative slope of a following leaky ReLU). PyTorch's defaults: a = 0, fan in, leaky ReLU.
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                        Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.NumberOfElements == 0) return tensor;  // PyTorch warns and leaves it
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He normal: N(0, std²) with std = gain / sqrt(fan) (see <see cref="KaimingUniform"/>).</summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                       Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.NumberOfElements == 0) return tensor;
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        return Normal(tensor, 0, std, generator);
    }

    private static long Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>: the Q factor of a QR decomposition of a normal matrix,
    /// with signs fixed so that R's diagonal is positive (Saxe et al.; PyTorch's orthogonal_). Dimensions past the
    /// first are flattened. Needs at least 2 dimensions.
    /// </summary>
    public static Tensor Orthogonal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Dim < 2)
            throw new ArgumentException($"Init.Orthogonal: only tensors with 2 or more dimensions are supported (shape [{string.Join(", ", tensor.Shape)}])", nameof(tensor));
        if (tensor.NumberOfElements == 0) return tensor;
        long rows = tensor.Size(0);
        long cols = tensor.NumberOfElements / rows;
        double[] a;
        using (Autograd.NoGrad())
        using (var sample = Tensor.RandN(new[] { rows, cols }, tensor.DType, tensor.Device, generator))
        using (var f64 = sample.To(DType.Float64))
            a = f64.ToArray<double>();
        bool wide = rows < cols;
        int m = (int)(wide ? cols : rows), n = (int)(wide ? rows : cols);
        // QR of the tall matrix: a (rows x cols), transposed first when wide.
        var tall = new double[m * n];
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < cols; ++j)
                if (wide) tall[j * n + i] = a[i * cols + j];
                else tall[i * n + j] = a[i * cols + j];
        double[] q = HouseholderQ(tall, m, n);
        var result = new double[rows * cols];
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < cols; ++j)
                result[i * cols + j] = gain * (wide ? q[j * n + i] : q[i * n + j]);
        using (Autograd.NoGrad())
        using (var src = Tensor.FromSpan<double>(result, tensor.Shape))
            tensor.CopyFrom(src);
        return tensor;
    }

    /// <summary>
    /// The m×n Q factor (m ≥ n, row-major) of <paramref name="a"/> by Householder reflections, its columns multiplied by
    /// the signs of R's diagonal (so R's diagonal is positive, which makes Q unique). <paramref name="a"/> is overwritten.
    /// </summary>
    internal static double[] HouseholderQ(double[] a, int m, int n)
    {
        var vs = new double[n][];
        var rdiag = new double[n];
        for (int k = 0; k < n; ++k)
        {
            double norm = 0;
            for (int i = k; i < m; ++i) norm += a[i * n + k] * a[i * n + k];
            norm = Math.Sqrt(norm);
            var v = new double[m - k];
            if (norm == 0)
            {
                rdiag[k] = 0;
                vs[k] = v;  // zero vector: the reflection is the identity
                continue;
            }
            double x0 = a[k * n + k];
            double alpha = x0 >= 0 ? -norm : norm;  // reflect onto alpha * e0, avoiding cancellation
            for (int i = k; i < m; ++i) v[i - k] = a[i * n + k];
            v[0] -= alpha;
            double vnorm = 0;
            foreach (double x in v) vnorm += x * x;
            vnorm = Math.Sqrt(vnorm);
            for (int i = 0; i < v.Length; ++i) v[i] /= vnorm;
            // A[k:, k:] -= 2 v (v^T A[k:, k:])
            for (int j = k; j < n; ++j)
            {
                double dot = 0;
                for (int i = k; i < m; ++i) dot += v[i - k] * a[i * n + j];
                for (int i = k; i < m; ++i) a[i * n + j] -= 2 * v[i - k] * dot;
            }
            rdiag[k] = a[k * n + k];
            vs[k] = v;
        }
        // Q = H0 H1 ... H(n-1) applied to the first n columns of the identity.
        var q = new double[m * n];
        for (int i = 0; i < n; ++i) q[i * n + i] = 1;
        for (int k = n - 1; k >= 0; --k)
        {
            double[] v = vs[k];
            for (int j = 0; j < n; ++j)
            {
                double dot = 0;
                for (int i = k; i < m; ++i) dot += v[i - k] * q[i * n + j];
                if (dot == 0) continue;
                for (int i = k; i < m; ++i) q[i * n + j] -= 2 * v[i - k] * dot;
            }
        }
        for (int j = 0; j < n; ++j)
        {
            double s = Math.Sign(rdiag[j]);
            for (int i = 0; i < m; ++i) q[i * n + j] *= s;
        }
        return q;
    }
}
