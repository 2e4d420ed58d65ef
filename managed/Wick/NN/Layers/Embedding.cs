using System;

namespace Wick.NN;

/// <summary>
/// A lookup table of <c>numEmbeddings</c> vectors of size <c>embeddingDim</c> (PyTorch's nn.Embedding): integer indices of
/// any shape give vectors of that shape plus the embedding size. The weight starts as N(0, 1); the row
/// <c>paddingIdx</c>, if given, starts as zeros and receives no gradient.
/// </summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>An embedding table.</summary>
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, DType dtype = DType.Float32, Device? device = null,
                     Generator? generator = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding: sizes must be positive, got {numEmbeddings} x {embeddingDim}");
        if (paddingIdx is long p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"Embedding: padding_idx must be within the {numEmbeddings} embeddings");
            paddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        Weight = RegisterParameter("weight", Tensor.Empty(new[] { numEmbeddings, embeddingDim }, dtype, device));
        ResetParameters(generator);
    }

    /// <summary>Rows of the table.</summary>
    public long NumEmbeddings { get; }
    /// <summary>Size of each vector.</summary>
    public long EmbeddingDim { get; }
    /// <summary>The row that stays zero and gets no gradient, or null.</summary>
    public long? PaddingIdx { get; }
    /// <summary>The table, (NumEmbeddings, EmbeddingDim).</summary>
    public Tensor Weight { get; }

    /// <summary>Draws the table from N(0, 1) and zeroes the padding row.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.Normal(Weight, 0, 1, generator);
        if (PaddingIdx is long p)
        {
            using (Autograd.NoGrad())
            using (Tensor row = Weight.Select(0, p))
                row.Fill(0);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType is not (DType.Int64 or DType.Int32))
            throw new DTypeException($"{Describe()}: indices must be Int64 or Int32, got {input.DType}");
        return new EmbeddingFunction(input, PaddingIdx).Run(Weight);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is long p ? $", padding_idx={p}" : "");
}
