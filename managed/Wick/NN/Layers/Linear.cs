using System;

namespace Wick.NN;

/// <summary>
/// y = x Wᵀ + b over the last dimension (PyTorch's nn.Linear). x: (*, inFeatures) → y: (*, outFeatures).
/// Weight (outFeatures, inFeatures) and bias (outFeatures) start as PyTorch's: U(-1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>A linear layer.</summary>
    /// <param name="inFeatures">Size of each input's last dimension.</param>
    /// <param name="outFeatures">Size of each output's last dimension.</param>
    /// <param name="bias">Learn an additive bias.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    /// <param name="generator">Seeded generator for the initial values.</param>
    public Linear(long inFeatures, long outFeatures, bool bias = true, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: feature counts must be >= 0, got in_features={inFeatures}, out_features={outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Empty(new[] { outFeatures, inFeatures }, dtype, device));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty(new[] { outFeatures }, dtype, device));
        else RegisterParameter("bias");
        ResetParameters(generator);
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <summary>The weight, (outFeatures, inFeatures).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, (outFeatures), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Draws new initial values as PyTorch does (Kaiming uniform with a = √5 for the weight).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (Bias is not null)
        {
            double bound = InFeatures > 0 ? 1 / Math.Sqrt(InFeatures) : 0;
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim == 0 || input.Size(-1) != InFeatures)
            throw new ShapeMismatchException(
                $"{Describe()}: input has {(input.Dim == 0 ? 0 : input.Size(-1))} features in its last dimension (shape {ShapeText(input)}); expected {InFeatures}");
        if (Autocast.Current is { } ac && ac.LowFor(input) is DType low)
        {
            // Autocast: weight and bias in the low-precision dtype (the weight's cast is cached for the scope),
            // so the output has that dtype as in PyTorch rather than float32 from promotion with the bias.
            using AutocastArg w = ac.Lower(Weight, low);
            if (Bias is null) return Affine(input, w.Value, null);
            using AutocastArg b = ac.Lower(Bias, low);
            return Affine(input, w.Value, b.Value);
        }
        return Affine(input, Weight, Bias);
    }

    // input @ weight^T + bias.
    private static Tensor Affine(Tensor input, Tensor weight, Tensor? bias)
    {
        using Tensor wt = weight.T;
        if (bias is null) return input.MatMul(wt);
        using Tensor xw = input.MatMul(wt);
        return xw.Add(bias);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}";
}
