using System;
using System.Globalization;

namespace Wick.NN;

/// <summary>
/// In training mode, zeroes each element with probability p and scales the others by 1 / (1 - p) (PyTorch's
/// nn.Dropout); in evaluation mode, returns its input. The mask comes from <c>generator</c> (or the default one), so
/// a seeded run drops the same elements.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Generator? _generator;

    /// <summary>A dropout layer with drop probability <paramref name="p"/>.</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must be between 0 and 1");
        P = p;
        _generator = generator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Training || P == 0) return input;
        if (P == 1) return input * 0.0;
        return new DropoutFunction(P, _generator).Run(input);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => "p=" + Py.Num(P) + ", inplace=False";
}
