namespace Wick.NN;

/// <summary>Softmax along a dimension (PyTorch's nn.Softmax): exp(x) / sum(exp(x)), computed stably.</summary>
public sealed class Softmax : Module<Tensor, Tensor>
{
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Softmax(int dim) => Dim = dim;

    /// <summary>The dimension the probabilities sum to 1 along.</summary>
    public int Dim { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => new SoftmaxFunction(Dim, log: false).Run(input);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>Log-softmax along a dimension (PyTorch's nn.LogSoftmax): x - log(sum(exp(x))), computed stably.</summary>
public sealed class LogSoftmax : Module<Tensor, Tensor>
{
    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public LogSoftmax(int dim) => Dim = dim;

    /// <summary>The dimension normalised along.</summary>
    public int Dim { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => new SoftmaxFunction(Dim, log: true).Run(input);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}
