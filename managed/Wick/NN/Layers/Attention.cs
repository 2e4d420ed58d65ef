using System;

namespace Wick.NN;

/// <summary>
/// Multi-head scaled dot-product attention (PyTorch's nn.MultiheadAttention, with equal query/key/value sizes):
/// the query, key and value are projected by one (3E, E) weight, split into <c>numHeads</c> heads of size E / heads,
/// softmax(Q Kᵀ / √d + mask) V per head, and projected back by <c>out_proj</c>. Inputs are (L, N, E), or (N, L, E)
/// with <c>batchFirst</c>, or unbatched (L, E).
/// </summary>
public sealed class MultiheadAttention : Module
{
    private readonly Generator? _generator;

    /// <summary>Attention over <paramref name="embedDim"/> features in <paramref name="numHeads"/> heads.</summary>
    public MultiheadAttention(long embedDim, long numHeads, double dropout = 0, bool bias = true, bool batchFirst = false,
                              DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
    {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0)
            throw new ArgumentException($"MultiheadAttention: embed_dim ({embedDim}) must be divisible by num_heads ({numHeads})");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "MultiheadAttention: dropout must be in [0, 1)");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        HeadDim = embedDim / numHeads;
        Dropout = dropout;
        BatchFirst = batchFirst;
        _generator = generator;
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Empty(new[] { 3 * embedDim, embedDim }, dtype, device));
        if (bias) InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros(new[] { 3 * embedDim }, dtype, device));
        else RegisterParameter("in_proj_bias");
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, bias, dtype, device, generator));
        // PyTorch's _reset_parameters: Xavier-uniform input projection, zero biases.
        Init.XavierUniform(InProjWeight, generator: generator);
        if (OutProj.Bias is not null) Init.Zeros(OutProj.Bias);
    }

    /// <summary>Feature size E.</summary>
    public long EmbedDim { get; }
    /// <summary>Number of heads.</summary>
    public long NumHeads { get; }
    /// <summary>Features per head, E / heads.</summary>
    public long HeadDim { get; }
    /// <summary>Dropout on the attention weights in training mode.</summary>
    public double Dropout { get; }
    /// <summary>Whether inputs are (N, L, E) rather than (L, N, E).</summary>
    public bool BatchFirst { get; }
    /// <summary>The stacked query, key and value projections, (3E, E).</summary>
    public Tensor InProjWeight { get; }
    /// <summary>Their biases, (3E), or null.</summary>
    public Tensor? InProjBias { get; }
    /// <summary>The output projection.</summary>
    public Linear OutProj { get; }

    /// <summary>
    /// Attention of <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/>. <paramref name="keyPaddingMask"/>
    /// (N, S): true (or -inf) marks keys to ignore. <paramref name="attnMask"/> (L, S) or (N·heads, L, S): true (or -inf)
    /// forbids attending, a float mask is added to the scores. Returns the output (the query's layout) and, when
    /// <paramref name="needWeights"/>, the attention weights (N, L, S), averaged over heads unless
    /// <paramref name="averageAttnWeights"/> is false (then (N, heads, L, S)).
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
                                                    Tensor? attnMask = null, bool averageAttnWeights = true)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        bool unbatched = query.Dim == 2;
        foreach (var (t, name) in new[] { (query, "query"), (key, "key"), (value, "value") })
        {
            if (t.Dim != (unbatched ? 2 : 3) || t.Size(-1) != EmbedDim)
                throw new ShapeMismatchException(
                    $"{Describe()}: the {name} has shape {ShapeText(t)}; expected ({(unbatched ? "L" : BatchFirst ? "N, L" : "L, N")}, {EmbedDim})");
        }
        using Tensor q = ToBatchFirst(query, unbatched);
        using Tensor k = ToBatchFirst(key, unbatched);
        using Tensor v = ToBatchFirst(value, unbatched);
        long n = q.Size(0), l = q.Size(1), s = k.Size(1);
        if (v.Size(1) != s || k.Size(0) != n || v.Size(0) != n)
            throw new ShapeMismatchException($"{Describe()}: key {ShapeText(key)} and value {ShapeText(value)} must have the same batch and length");

        using Tensor qh = Project(q, 0, n, l);   // (N, H, L, d)
        using Tensor kh = Project(k, 1, n, s);   // (N, H, S, d)
        using Tensor vh = Project(v, 2, n, s);   // (N, H, S, d)
        using Tensor kt = kh.Transpose(2, 3);    // (N, H, d, S)
        using Tensor raw = qh.MatMul(kt);
        Tensor scores = raw * (1 / Math.Sqrt(HeadDim));
        using (Tensor? mask = CombinedMask(keyPaddingMask, attnMask, n, l, s, q.DType))
        {
            if (mask is not null) scores = Owned.Replace(scores, scores + mask);
        }
        Tensor attn = Owned.Replace(scores, new SoftmaxFunction(-1, log: false).Run(scores));
        if (Training && Dropout > 0) attn = Owned.Replace(attn, new DropoutFunction(Dropout, _generator).Run(attn));
        Tensor? weights = null;
        Tensor output;
        using (attn)
        {
            using Tensor ctx = attn.MatMul(vh);                 // (N, H, L, d)
            using Tensor ctxT = ctx.Transpose(1, 2);            // (N, L, H, d)
            using Tensor merged = ctxT.Reshape(n, l, EmbedDim); // (N, L, E)
            using Tensor projected = OutProj.Forward(merged);
            output = FromBatchFirst(projected, unbatched);
            if (needWeights)
            {
                weights = averageAttnWeights ? attn.Mean(1) : attn.Narrow(0, 0, n);
                if (unbatched) weights = Owned.Replace(weights, weights.Squeeze(0));
            }
        }
        return (output, weights);
    }

    // (L, N, E) or (L, E) → (N, L, E); a new view the caller disposes.
    private Tensor ToBatchFirst(Tensor t, bool unbatched) =>
        unbatched ? t.Unsqueeze(0) : BatchFirst ? t.Narrow(0, 0, t.Size(0)) : t.Transpose(0, 1);

    private Tensor FromBatchFirst(Tensor t, bool unbatched) =>
        unbatched ? t.Squeeze(0) : BatchFirst ? t.Narrow(0, 0, t.Size(0)) : t.Transpose(0, 1);

    // x (N, len, E) → x W_part ᵀ + b_part as (N, heads, len, d), part 0/1/2 = query/key/value.
    private Tensor Project(Tensor x, int part, long n, long len)
    {
        using Tensor w = InProjWeight.Narrow(0, part * EmbedDim, EmbedDim);
        using Tensor wt = w.T;
        using Tensor xw = x.MatMul(wt);
        using Tensor? b = InProjBias?.Narrow(0, part * EmbedDim, EmbedDim);
        using Tensor y = b is null ? xw.Narrow(0, 0, n) : xw + b;
        using Tensor split = y.Reshape(n, len, NumHeads, HeadDim);
        return split.Transpose(1, 2);
    }

    // An additive (N or 1, H or 1, L or 1, S) float mask from a key-padding and/or attention mask, or null.
    private Tensor? CombinedMask(Tensor? keyPadding, Tensor? attnMask, long n, long l, long s, DType dtype)
    {
        Tensor? result = null;
        if (keyPadding is not null)
        {
            if (!keyPadding.Shape.AsSpan().SequenceEqual(n == 1 && keyPadding.Dim == 1 ? new[] { s } : new[] { n, s }))
                throw new ShapeMismatchException($"{Describe()}: key_padding_mask has shape {ShapeText(keyPadding)}; expected [{n}, {s}]");
            using Tensor additive = Additive(keyPadding, dtype);
            result = additive.Reshape(n, 1, 1, s);
        }
        if (attnMask is not null)
        {
            bool perHead = attnMask.Dim == 3;
            if (perHead ? !attnMask.Shape.AsSpan().SequenceEqual(new[] { n * NumHeads, l, s }) : !attnMask.Shape.AsSpan().SequenceEqual(new[] { l, s }))
                throw new ShapeMismatchException($"{Describe()}: attn_mask has shape {ShapeText(attnMask)}; expected [{l}, {s}] or [{n * NumHeads}, {l}, {s}]");
            using Tensor additive = Additive(attnMask, dtype);
            using Tensor shaped = perHead ? additive.Reshape(n, NumHeads, l, s) : additive.Reshape(1, 1, l, s);
            if (result is null) result = shaped.Narrow(0, 0, shaped.Size(0));
            else result = Owned.Replace(result, result + shaped);
        }
        return result;
    }

    private static Tensor Additive(Tensor mask, DType dtype)
    {
        if (mask.DType != DType.Bool) return mask.To(dtype);
        // 1 where masked, 0 elsewhere, then -inf where masked: made from the mask itself (no factory of the mask's shape),
        // so that an exported graph keeps the batch dynamic.
        using Tensor ones = mask.To(dtype);
        return ones.MaskedFill(mask, double.NegativeInfinity);
    }

    /// <inheritdoc/>
    public override string TypeName => "MultiheadAttention";
}
