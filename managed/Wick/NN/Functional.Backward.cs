namespace Wick;

// The gradient functions of the neural-network ops: what autograd calls (and what a hand-written
// backward pass may call). Each takes the forward's inputs or saved statistics and the gradient of
// the output; fused ones return the gradients asked for (null for those not asked).
public static partial class Functional
{
    /// <summary>Gradient of <see cref="Softmax"/> from the gradient of its output and the output y: y * (g - sum(g * y)) along <paramref name="dim"/>.</summary>
    public static Tensor SoftmaxBackward(Tensor gradOutput, Tensor output, int dim) => Kernels.SoftmaxBackward(gradOutput, output, dim, log: false);

    /// <summary>Gradient of <see cref="LogSoftmax"/> from the gradient of its output and the output y: g - exp(y) * sum(g) along <paramref name="dim"/>.</summary>
    public static Tensor LogSoftmaxBackward(Tensor gradOutput, Tensor output, int dim) => Kernels.SoftmaxBackward(gradOutput, output, dim, log: true);

    /// <summary>
    /// Gradient of <see cref="NllLoss"/> with respect to its input: zero except -weight[t] * g at each counted target
    /// (divided by <paramref name="totalWeight"/> for the mean). <paramref name="gradLoss"/> has the loss's shape.
    /// </summary>
    public static Tensor NllLossBackward(Tensor gradLoss, Tensor input, Tensor target, Tensor totalWeight, Tensor? weight = null,
        long ignoreIndex = -100, Reduction reduction = Reduction.Mean) =>
        Kernels.NllLossBackward(gradLoss, input, target, weight, reduction, ignoreIndex, totalWeight);

    /// <summary>Gradients of <see cref="Conv1d"/> with respect to its input, weight and bias (each only when asked).</summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) Conv1dBackward(Tensor gradOutput, Tensor x, Tensor weight, long stride = 1,
        long padding = 0, long dilation = 1, long groups = 1, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.Conv1dBackward(gradOutput, x, weight, stride, padding, dilation, groups, inputGrad, weightGrad, biasGrad);

    /// <summary>
    /// Gradients of <see cref="Conv2d(Tensor, Tensor, Tensor?, long, long, long, long)"/>: input (the transposed convolution of the
    /// output gradient), weight (output gradient times the unfolded input) and bias (channel sums), each only when asked.
    /// </summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) Conv2dBackward(Tensor gradOutput, Tensor x, Tensor weight, long stride = 1,
        long padding = 0, long dilation = 1, long groups = 1, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.Conv2dBackward(gradOutput, x, weight, (stride, stride), (padding, padding), (dilation, dilation), groups, inputGrad, weightGrad, biasGrad);

    /// <summary>Gradients of the (height, width) form of <c>Conv2d</c>.</summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) Conv2dBackward(Tensor gradOutput, Tensor x, Tensor weight,
        (long H, long W) stride, (long H, long W) padding, (long H, long W) dilation, long groups = 1, bool inputGrad = true, bool weightGrad = true,
        bool biasGrad = true) =>
        Kernels.Conv2dBackward(gradOutput, x, weight, stride, padding, dilation, groups, inputGrad, weightGrad, biasGrad);

    /// <summary>
    /// Gradients of <see cref="ConvTranspose2d(Tensor, Tensor, Tensor?, long, long, long, long, long)"/>: input by a
    /// <c>Conv2d</c> of the output gradient, weight and bias as conv2d's with the roles of input and output exchanged.
    /// </summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) ConvTranspose2dBackward(Tensor gradOutput, Tensor x, Tensor weight,
        long stride = 1, long padding = 0, long groups = 1, long dilation = 1, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.ConvTranspose2dBackward(gradOutput, x, weight, (stride, stride), (padding, padding), (dilation, dilation), groups, inputGrad, weightGrad,
            biasGrad);

    /// <summary>Gradient of max pooling: each output gradient added at the input position its index names.</summary>
    public static Tensor MaxPool2dBackward(Tensor gradOutput, Tensor indices, long[] inputShape) => Kernels.MaxPool2dBackward(gradOutput, indices, inputShape);

    /// <summary>Gradient of <see cref="AvgPool2d(Tensor, long, long?, long, bool, bool, long?)"/>: each output gradient spread evenly over its window.</summary>
    public static Tensor AvgPool2dBackward(Tensor gradOutput, long[] inputShape, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false,
        bool countIncludePad = true, long? divisorOverride = null) =>
        Kernels.AvgPool2dBackward(gradOutput, inputShape, (kernelSize, kernelSize), stride is null ? (kernelSize, kernelSize) : (stride.Value, stride.Value),
            (padding, padding), ceilMode, countIncludePad, CheckedDivisor(divisorOverride));

    /// <summary>Gradient of the (height, width) form of <c>AvgPool2d</c>.</summary>
    public static Tensor AvgPool2dBackward(Tensor gradOutput, long[] inputShape, (long H, long W) kernelSize, (long H, long W)? stride,
        (long H, long W) padding, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null) =>
        Kernels.AvgPool2dBackward(gradOutput, inputShape, kernelSize, stride ?? kernelSize, padding, ceilMode, countIncludePad, CheckedDivisor(divisorOverride));

    /// <summary>Gradient of <see cref="AdaptiveAvgPool2d(Tensor, long)"/> for an input of <paramref name="inputShape"/>.</summary>
    public static Tensor AdaptiveAvgPool2dBackward(Tensor gradOutput, long[] inputShape) => Kernels.AdaptiveAvgPool2dBackward(gradOutput, inputShape);

    /// <summary>
    /// Gradients of <see cref="BatchNorm"/> from the statistics <see cref="BatchNormWithStats"/> returned. In training the
    /// statistics depend on the input (the full fused formula); in evaluation they are constants.
    /// </summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) BatchNormBackward(Tensor gradOutput, Tensor x, Tensor? weight, Tensor mean,
        Tensor invstd, bool training, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.BatchNormBackward(gradOutput, x, weight, mean, invstd, training, inputGrad, weightGrad, biasGrad);

    /// <summary>Gradients of <see cref="LayerNorm"/> from the statistics <see cref="LayerNormWithStats"/> returned.</summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) LayerNormBackward(Tensor gradOutput, Tensor x, long[] normalizedShape,
        Tensor mean, Tensor rstd, Tensor? weight = null, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.LayerNormBackward(gradOutput, x, normalizedShape, mean, rstd, weight, inputGrad, weightGrad, biasGrad);

    /// <summary>Gradients of <see cref="GroupNorm"/> from the statistics <see cref="GroupNormWithStats"/> returned.</summary>
    public static (Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) GroupNormBackward(Tensor gradOutput, Tensor x, Tensor mean, Tensor rstd,
        long numGroups, Tensor? weight = null, bool inputGrad = true, bool weightGrad = true, bool biasGrad = true) =>
        Kernels.GroupNormBackward(gradOutput, x, mean, rstd, weight, numGroups, inputGrad, weightGrad, biasGrad);

    /// <summary>
    /// Gradient of <see cref="Embedding"/> with respect to the weight: a (<paramref name="numWeights"/>, D) scatter-add of the
    /// gradient rows at the indices; the row <paramref name="paddingIdx"/> (negative counts from the end) gets none.
    /// </summary>
    public static Tensor EmbeddingBackward(Tensor gradOutput, Tensor indices, long numWeights, long? paddingIdx = null) =>
        Kernels.EmbeddingBackward(gradOutput, indices, numWeights, paddingIdx);

    /// <summary>Gradient of <see cref="Interpolate"/> for an input of <paramref name="inputShape"/>, with the same size or scale arguments.</summary>
    public static Tensor InterpolateBackward(Tensor gradOutput, long[] inputShape, (long H, long W)? size = null, (double H, double W)? scaleFactor = null,
        InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        System.ArgumentNullException.ThrowIfNull(gradOutput);
        System.ArgumentNullException.ThrowIfNull(inputShape);
        var (_, scale) = UpsampleGeometry(inputShape, size, scaleFactor, mode, alignCorners);
        return Kernels.UpsampleBackward(gradOutput, inputShape, mode == InterpolateMode.Bilinear, alignCorners, scale);
    }
}
