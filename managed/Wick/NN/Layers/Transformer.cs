using System;

namespace Wick.NN;

/// <summary>
/// One Transformer encoder layer (PyTorch's nn.TransformerEncoderLayer): self-attention and a feed-forward block
/// (linear1 → activation → dropout → linear2), each with dropout, a residual connection and layer normalisation —
/// after the block (post-norm, the default) or before it (<c>normFirst</c>). Submodules carry PyTorch's names
/// (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2), so state dicts line up.
/// </summary>
public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> _activation;
    private readonly string _activationName;

    /// <summary>An encoder layer over <paramref name="dModel"/> features with <paramref name="nHead"/> attention heads.</summary>
    /// <param name="dModel">Feature size.</param>
    /// <param name="nHead">Attention heads.</param>
    /// <param name="dimFeedforward">Hidden size of the feed-forward block.</param>
    /// <param name="dropout">Dropout probability everywhere in the layer.</param>
    /// <param name="activation">"relu" or "gelu".</param>
    /// <param name="layerNormEps">The layer norms' epsilon.</param>
    /// <param name="batchFirst">Inputs are (N, L, E) rather than (L, N, E).</param>
    /// <param name="normFirst">Normalise before each block (pre-norm) instead of after.</param>
    /// <param name="bias">Biases in the linear layers and layer norms.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    /// <param name="generator">Seeded generator for initial values and dropout masks.</param>
    public TransformerEncoderLayer(long dModel, long nHead, long dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
                                   double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false, bool bias = true,
                                   DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
    {
        (_activation, _activationName) = activation switch
        {
            "relu" => ((Func<Tensor, Tensor>)(x => x.Relu()), "relu"),
            "gelu" => (x => x.Gelu(), "gelu"),
            _ => throw new ArgumentException($"TransformerEncoderLayer: activation must be \"relu\" or \"gelu\", got \"{activation}\"", nameof(activation)),
        };
        NormFirst = normFirst;
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nHead, dropout, bias, batchFirst, dtype, device, generator));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, bias, dtype, device, generator));
        DropoutFf = RegisterModule("dropout", new Dropout(dropout, generator));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, bias, dtype, device, generator));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps, bias: bias, dtype: dtype, device: device));
        Dropout1 = RegisterModule("dropout1", new Dropout(dropout, generator));
        Dropout2 = RegisterModule("dropout2", new Dropout(dropout, generator));
    }

    /// <summary>Whether layer normalisation comes before each block.</summary>
    public bool NormFirst { get; }
    /// <summary>The self-attention.</summary>
    public MultiheadAttention SelfAttn { get; }
    /// <summary>The feed-forward block's first layer.</summary>
    public Linear Linear1 { get; }
    /// <summary>Dropout inside the feed-forward block.</summary>
    public Dropout DropoutFf { get; }
    /// <summary>The feed-forward block's second layer.</summary>
    public Linear Linear2 { get; }
    /// <summary>Normalisation around the attention block.</summary>
    public LayerNorm Norm1 { get; }
    /// <summary>Normalisation around the feed-forward block.</summary>
    public LayerNorm Norm2 { get; }
    /// <summary>Dropout after the attention block.</summary>
    public Dropout Dropout1 { get; }
    /// <summary>Dropout after the feed-forward block.</summary>
    public Dropout Dropout2 { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>The layer with an attention mask (L, S) and a key padding mask (N, S) for the self-attention.</summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (NormFirst)
        {
            using Tensor n1 = Norm1.Forward(src);
            using Tensor a = AttentionBlock(n1, srcMask, srcKeyPaddingMask);
            using Tensor x = src + a;
            using Tensor n2 = Norm2.Forward(x);
            using Tensor f = FeedForwardBlock(n2);
            return x + f;
        }
        else
        {
            using Tensor a = AttentionBlock(src, srcMask, srcKeyPaddingMask);
            using Tensor r1 = src + a;
            using Tensor x = Norm1.Forward(r1);
            using Tensor f = FeedForwardBlock(x);
            using Tensor r2 = x + f;
            return Norm2.Forward(r2);
        }
    }

    private Tensor AttentionBlock(Tensor x, Tensor? mask, Tensor? keyPadding)
    {
        var (attn, _) = SelfAttn.Forward(x, x, x, keyPadding, needWeights: false, attnMask: mask);
        Tensor d = Dropout1.Forward(attn);
        if (!ReferenceEquals(d, attn)) attn.Dispose();
        return d;
    }

    private Tensor FeedForwardBlock(Tensor x)
    {
        using Tensor h = Linear1.Forward(x);
        using Tensor a = _activation(h);
        Tensor d = DropoutFf.Forward(a);
        try
        {
            using Tensor y = Linear2.Forward(d);
            Tensor o = Dropout2.Forward(y);
            return ReferenceEquals(o, y) ? y.Narrow(0, 0, y.Size(0)) : o;
        }
        finally
        {
            if (!ReferenceEquals(d, a)) d.Dispose();
        }
    }
}
