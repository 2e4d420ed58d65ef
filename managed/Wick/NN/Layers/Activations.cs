using System;
using System.Globalization;

namespace Wick.NN;

// Elementwise activations (PyTorch's nn.ReLU, ...): each a thin module over the Tensor method of the same name,
// which autograd differentiates.

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x ≥ 0, negativeSlope · x otherwise.</summary>
public sealed class LeakyReLU : Module<Tensor, Tensor>
{
    /// <summary>A leaky ReLU with the given slope for negative inputs.</summary>
    public LeakyReLU(double negativeSlope = 0.01) => NegativeSlope = negativeSlope;

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => "negative_slope=" + Py.Num(NegativeSlope);
}

/// <summary>x · Φ(x), exact (erf) or with the tanh approximation.</summary>
public sealed class GELU : Module<Tensor, Tensor>
{
    /// <summary>GELU; <paramref name="approximate"/> is "none" (erf) or "tanh".</summary>
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"GELU: approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate));
        Approximate = approximate;
    }

    /// <summary>"none" or "tanh".</summary>
    public string Approximate { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu(Approximate);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"approximate='{Approximate}'";
}

/// <summary>x · sigmoid(x) (also called swish).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>1 / (1 + e^(-x)).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>x for x &gt; 0, alpha · (e^x - 1) otherwise.</summary>
public sealed class ELU : Module<Tensor, Tensor>
{
    /// <summary>An ELU with the given alpha.</summary>
    public ELU(double alpha = 1.0) => Alpha = alpha;

    /// <summary>The scale of the negative part.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    /// <inheritdoc/>
    protected override string ExtraRepr() => "alpha=" + Py.Num(Alpha);
}

/// <summary>log(1 + e^(beta x)) / beta, linear where beta x &gt; threshold.</summary>
public sealed class Softplus : Module<Tensor, Tensor>
{
    /// <summary>A softplus with the given beta and threshold.</summary>
    public Softplus(double beta = 1, double threshold = 20)
    {
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>The sharpness.</summary>
    public double Beta { get; }

    /// <summary>Above beta · x &gt; threshold the result is x.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus(Beta, Threshold);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"beta={Py.Num(Beta)}, threshold={Py.Num(Threshold)}";
}
