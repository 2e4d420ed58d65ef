namespace Wick.NN;

/// <summary>The geometry of a 1-D or 2-D convolution (conv1d reads index 0 of each pair) and its native kernels.</summary>
internal sealed class ConvGeometry
{
    public ConvGeometry(int spatial, long[] stride, long[] padding, long[] dilation, long groups)
    {
        Spatial = spatial;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
    }

    public int Spatial { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] Dilation { get; }
    public long Groups { get; }

    /// <summary>conv(x, w) + b: x (N, C, *) or (C, *), w (OC, C / groups, *).</summary>
    public Tensor Conv(Tensor x, Tensor w, Tensor? b = null) =>
        Spatial == 1
            ? Functional.Conv1d(x, w, b, Stride[0], Padding[0], Dilation[0], Groups)
            : Functional.Conv2d(x, w, b, (Stride[0], Stride[1]), (Padding[0], Padding[1]), (Dilation[0], Dilation[1]), Groups);

    /// <summary>The fused gradients of <see cref="Conv"/> (x and w only for their shapes where their gradient is not asked).</summary>
    public (Tensor? X, Tensor? W, Tensor? B) Backward(Tensor g, Tensor x, Tensor w, bool gx, bool gw, bool gb) =>
        Spatial == 1
            ? Functional.Conv1dBackward(g, x, w, Stride[0], Padding[0], Dilation[0], Groups, gx, gw, gb)
            : Functional.Conv2dBackward(g, x, w, (Stride[0], Stride[1]), (Padding[0], Padding[1]), (Dilation[0], Dilation[1]), Groups, gx, gw, gb);

    /// <summary>The channel sums of an output gradient <paramref name="g"/> (N, OC, *) or (OC, *): the bias gradient, recorded.</summary>
    public Tensor BiasGrad(Tensor g)
    {
        int channel = g.Dim - Spatial - 1;
        var dims = new int[g.Dim - 1];
        for (int d = 0, k = 0; d < g.Dim; ++d)
            if (d != channel) dims[k++] = d;
        return g.Sum(dims);
    }
}

/// <summary>
/// The three bilinear maps of a convolution y = conv(x, w), each differentiable through the others (so a convolution is
/// differentiable to any order with the fused kernels doing the work):
/// <list type="bullet">
/// <item>Conv(x, w): d/dx of ⟨Conv(x, w), G⟩ is InputGrad(G, w), d/dw is WeightGrad(G, x);</item>
/// <item>InputGrad(g, w) = Convᵀ g (conv2d's input gradient, conv_transpose2d's forward): ⟨InputGrad(g, w), G⟩ = ⟨g, Conv(G, w)⟩,
/// so d/dg is Conv(G, w) and d/dw is WeightGrad(g, G);</item>
/// <item>WeightGrad(g, x) (conv2d's weight gradient): ⟨WeightGrad(g, x), G⟩ = ⟨g, Conv(x, G)⟩, so d/dg is Conv(x, G) and d/dx is
/// InputGrad(g, G).</item>
/// </list>
/// InputGrad and WeightGrad take the shape of their result from a tensor given at construction (read in Forward only).
/// </summary>
internal sealed class ConvPrimitiveFunction : NNFunction
{
    public enum Kind { Conv, InputGrad, WeightGrad }

    private readonly Kind _kind;
    private readonly ConvGeometry _geo;
    private Tensor? _shapeOf;

    private ConvPrimitiveFunction(Kind kind, ConvGeometry geo, Tensor? shapeOf)
    {
        _kind = kind;
        _geo = geo;
        _shapeOf = shapeOf;
    }

    public override string Name => _kind switch
    {
        Kind.Conv => _geo.Spatial == 1 ? "Conv1d" : "Conv2d",
        Kind.InputGrad => _geo.Spatial == 1 ? "Conv1dInputGrad" : "Conv2dInputGrad",
        _ => _geo.Spatial == 1 ? "Conv1dWeightGrad" : "Conv2dWeightGrad",
    };

    protected override bool GradientIsDifferentiable => true;

    /// <summary>conv(x, w), recorded.</summary>
    public static Tensor Conv(ConvGeometry geo, Tensor x, Tensor w) => new ConvPrimitiveFunction(Kind.Conv, geo, null).Run(x, w);

    /// <summary>The input gradient of conv(x, w) for output gradient <paramref name="g"/>, recorded; <paramref name="x"/> gives only the shape.</summary>
    public static Tensor InputGrad(ConvGeometry geo, Tensor g, Tensor w, Tensor x) => new ConvPrimitiveFunction(Kind.InputGrad, geo, x).Run(g, w);

    /// <summary>The weight gradient of conv(x, w) for output gradient <paramref name="g"/>, recorded; <paramref name="w"/> gives only the shape.</summary>
    public static Tensor WeightGrad(ConvGeometry geo, Tensor g, Tensor x, Tensor w) => new ConvPrimitiveFunction(Kind.WeightGrad, geo, w).Run(g, x);

    protected override Tensor[] Forward(Tensor[] a)
    {
        Tensor shapeOf = _shapeOf!;
        _shapeOf = null;
        SaveForBackward(a[0], a[1]);
        Tensor y = _kind switch
        {
            Kind.Conv => _geo.Conv(a[0], a[1]),
            Kind.InputGrad => _geo.Backward(a[0], shapeOf, a[1], true, false, false).X!,
            _ => _geo.Backward(a[0], a[1], shapeOf, false, true, false).W!,
        };
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] gs)
    {
        Tensor G = gs[0];
        var s = SavedTensors;
        Tensor a = s[0], b = s[1];
        bool ga = NeedsInputGrad(0), gb = NeedsInputGrad(1);
        return _kind switch
        {
            // a = x, b = w
            Kind.Conv => new[] { ga ? InputGrad(_geo, G, b, a) : null, gb ? WeightGrad(_geo, G, a, b) : null },
            // a = g, b = w
            Kind.InputGrad => new[] { ga ? Conv(_geo, G, b) : null, gb ? WeightGrad(_geo, a, G, b) : null },
            // a = g, b = x
            _ => new[] { ga ? Conv(_geo, b, G) : null, gb ? InputGrad(_geo, a, G, b) : null },
        };
    }
}
