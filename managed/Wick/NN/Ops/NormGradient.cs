using System;

namespace Wick.NN;

/// <summary>
/// The gradients of batch, layer and group normalisation written with recorded Tensor ops, for backward passes with
/// createGraph (the fused kernels are not recorded). The statistics are recomputed from x with recorded ops, so their
/// dependence on x is differentiated too. With x̂ = (x - μ) r, r = 1 / sqrt(var + eps) over a group of M values, and
/// h = g w the gradient of x̂:
/// dx = r (h - mean(h) - x̂ mean(h x̂)), dw = Σ g x̂, db = Σ g (sums over everything but the parameter's dimensions).
/// With constant statistics (batch norm in evaluation) dx = r h.
/// </summary>
internal static class NormGradient
{
    /// <summary>x (N, C, *): statistics per channel over (N, *), or the given constant (C) ones; weight (C).</summary>
    public static (Tensor?, Tensor?, Tensor?) Batch(Tensor g, Tensor x, Tensor? w, Tensor? constMean, Tensor? constRstd, double eps, bool gi, bool gw,
                                                    bool gb)
    {
        var stat = new int[x.Dim - 1];
        for (int d = 0, k = 0; d < x.Dim; ++d)
            if (d != 1) stat[k++] = d;
        long[] channelShape = ChannelShape(x);
        using Tensor? wv = w?.View(channelShape);
        if (constMean is not null && constRstd is not null)
        {
            using Tensor mean = constMean.View(channelShape);
            using Tensor rstd = constRstd.View(channelShape);
            return Finish(g, x, x, wv, mean, rstd, stat, stat, constantStats: true, gi, gw, gb);
        }
        return Normalised(g, x, x, wv, stat, stat, eps, gi, gw, gb);
    }

    /// <summary>x (*, normalized shape) with statistics over its last <paramref name="normalizedDims"/> dimensions; weight (normalized shape).</summary>
    public static (Tensor?, Tensor?, Tensor?) Layer(Tensor g, Tensor x, Tensor? w, int normalizedDims, double eps, bool gi, bool gw, bool gb)
    {
        int lead = x.Dim - normalizedDims;
        var stat = new int[normalizedDims];
        for (int k = 0; k < normalizedDims; ++k) stat[k] = lead + k;
        var param = new int[lead];
        for (int k = 0; k < lead; ++k) param[k] = k;
        return Normalised(g, x, x, w, stat, param, eps, gi, gw, gb);
    }

    /// <summary>x (N, C, *) with statistics per (sample, group of C / groups channels); weight (C).</summary>
    public static (Tensor?, Tensor?, Tensor?) Group(Tensor g, Tensor x, Tensor? w, long groups, double eps, bool gi, bool gw, bool gb)
    {
        // Statistics over the last dimension of the (N, groups, C / groups * rest) view.
        using Tensor grouped = x.Reshape(x.Size(0), groups, -1);
        var param = new int[x.Dim - 1];
        for (int d = 0, k = 0; d < x.Dim; ++d)
            if (d != 1) param[k++] = d;
        using Tensor? wv = w?.View(ChannelShape(x));
        return Normalised(g, x, grouped, wv, new[] { 2 }, param, eps, gi, gw, gb);
    }

    // (1, C, 1, ...) for x (N, C, ...): a per-channel tensor broadcast against x.
    private static long[] ChannelShape(Tensor x)
    {
        var s = new long[x.Dim];
        Array.Fill(s, 1L);
        s[1] = x.Size(1);
        return s;
    }

    // xs: x viewed so that the statistics reduce over statDims (keeping them); wv: the weight broadcast against x.
    private static (Tensor?, Tensor?, Tensor?) Normalised(Tensor g, Tensor x, Tensor xs, Tensor? wv, int[] statDims, int[] paramDims, double eps,
                                                         bool gi, bool gw, bool gb)
    {
        using Tensor mean = xs.Mean(statDims, keepDim: true);
        using Tensor centred = xs - mean;
        using Tensor sq = centred.Square();
        using Tensor variance = sq.Mean(statDims, keepDim: true);
        using Tensor shifted = variance + eps;
        using Tensor rstd = shifted.Rsqrt();
        return Finish(g, x, xs, wv, mean, rstd, statDims, paramDims, constantStats: false, gi, gw, gb);
    }

    private static (Tensor?, Tensor?, Tensor?) Finish(Tensor g, Tensor x, Tensor xs, Tensor? wv, Tensor mean, Tensor rstd, int[] statDims,
                                                      int[] paramDims, bool constantStats, bool gi, bool gw, bool gb)
    {
        using Tensor centred = xs - mean;
        using Tensor xhatS = centred * rstd;  // in xs's shape
        Tensor? dx = null, dw = null, db = null;
        if (gw)
        {
            using Tensor xhat = xhatS.Reshape(x.Shape);
            using Tensor gx = g * xhat;
            dw = Sum(gx, paramDims);
        }
        if (gb) db = Sum(g, paramDims);
        if (gi)
        {
            using Tensor h = wv is null ? g.AliasWithHistory() : g * wv;
            using Tensor hs = h.Reshape(xs.Shape);
            if (constantStats)
            {
                using Tensor dxs = hs * rstd;
                dx = dxs.Reshape(x.Shape);
            }
            else
            {
                using Tensor hMean = hs.Mean(statDims, keepDim: true);
                using Tensor hx = hs * xhatS;
                using Tensor hxMean = hx.Mean(statDims, keepDim: true);
                using Tensor proj = xhatS * hxMean;
                using Tensor a = hs - hMean;
                using Tensor b = a - proj;
                using Tensor dxs = b * rstd;
                dx = dxs.Reshape(x.Shape);
            }
        }
        return (dx, dw, db);
    }

    private static Tensor Sum(Tensor t, int[] dims) => dims.Length == 0 ? t.AliasWithHistory() : t.Sum(dims);
}
