using System;

namespace Wick.Tests.Support;

/// <summary>
/// The geometry of a 2-D convolution: input (N, C, H, W), weight (OC, C / G, KH, KW), stride, padding, dilation and
/// groups per axis; output (N, OC, OH, OW). A 1-D convolution is one with H = KH = 1.
/// </summary>
internal sealed record ConvGeo(long N, long C, long H, long W, long OC, long KH, long KW, long SH, long SW, long PH, long PW, long DH, long DW, long G)
{
    public long OH => (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1;
    public long OW => (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1;
    public long Cg => C / G;
    public long OCg => OC / G;
    public long[] XShape => new[] { N, C, H, W };
    public long[] WShape => new[] { OC, Cg, KH, KW };
    public long[] YShape => new[] { N, OC, OH, OW };
}

/// <summary>
/// Convolutions as float64 loops over every (batch, channel, position, tap): the forward pass, its input, weight and bias
/// gradients written as scatters, and the transposed convolution. Row-major arrays, no shared code with Wick.
/// </summary>
internal static class ConvRef
{
    // Visits every (output element, tap) pair that touches the input: the 7 loops of a direct convolution.
    private static void ForEachTap(ConvGeo g, Action<long, long, long, long, long, long, long, long, long> visit)
    {
        for (long n = 0; n < g.N; ++n)
            for (long oc = 0; oc < g.OC; ++oc)
                for (long oh = 0; oh < g.OH; ++oh)
                    for (long ow = 0; ow < g.OW; ++ow)
                        for (long c = 0; c < g.Cg; ++c)
                            for (long kh = 0; kh < g.KH; ++kh)
                                for (long kw = 0; kw < g.KW; ++kw)
                                {
                                    long ih = oh * g.SH - g.PH + kh * g.DH, iw = ow * g.SW - g.PW + kw * g.DW;
                                    if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                                    long ci = oc / g.OCg * g.Cg + c;
                                    visit(n, oc, oh, ow, ci, c, kh, kw, ih * g.W + iw);
                                }
    }

    private static long Xi(ConvGeo g, long n, long ci, long hw) => (n * g.C + ci) * g.H * g.W + hw;
    private static long Yi(ConvGeo g, long n, long oc, long oh, long ow) => ((n * g.OC + oc) * g.OH + oh) * g.OW + ow;
    private static long Wi(ConvGeo g, long oc, long c, long kh, long kw) => ((oc * g.Cg + c) * g.KH + kh) * g.KW + kw;

    /// <summary>y (N, OC, OH, OW) = conv(x, w) + b (absent: no bias).</summary>
    public static double[] Conv(ConvGeo g, double[] x, double[] w, double[]? b)
    {
        var y = new double[g.N * g.OC * g.OH * g.OW];
        if (b != null)
            for (long i = 0; i < y.Length; ++i) y[i] = b[i / (g.OH * g.OW) % g.OC];
        ForEachTap(g, (n, oc, oh, ow, ci, c, kh, kw, hw) => y[Yi(g, n, oc, oh, ow)] += x[Xi(g, n, ci, hw)] * w[Wi(g, oc, c, kh, kw)]);
        return y;
    }

    /// <summary>The gradients of sum(conv(x, w) * gy) with respect to x, w and the bias.</summary>
    public static (double[] gx, double[] gw, double[] gb) ConvBackward(ConvGeo g, double[] x, double[] w, double[] gy)
    {
        var gx = new double[x.Length];
        var gw = new double[w.Length];
        double[] gb = ChannelSums(gy, g.OC, g.OH * g.OW);
        ForEachTap(g, (n, oc, oh, ow, ci, c, kh, kw, hw) =>
        {
            double gv = gy[Yi(g, n, oc, oh, ow)];
            gx[Xi(g, n, ci, hw)] += gv * w[Wi(g, oc, c, kh, kw)];
            gw[Wi(g, oc, c, kh, kw)] += gv * x[Xi(g, n, ci, hw)];
        });
        return (gx, gw, gb);
    }

    /// <summary>Sums of y (N, C, S) over N and S per channel: a bias gradient.</summary>
    public static double[] ChannelSums(double[] y, long C, long S)
    {
        var sums = new double[C];
        for (long i = 0; i < y.Length; ++i) sums[i / S % C] += y[i];
        return sums;
    }

    /// <summary>conv_transpose2d: every input element scattered through every tap of its group's weights.</summary>
    public static double[] ConvTranspose(double[] x, double[] w, double[]? b, long N, long Cin, long H, long W, long Coutg, long KH, long KW,
        long sh, long sw, long ph, long pw, long oph, long opw, long dh, long dw, long G, out long OH, out long OW)
    {
        OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + oph + 1;
        OW = (W - 1) * sw - 2 * pw + dw * (KW - 1) + opw + 1;
        long Cout = Coutg * G, Cing = Cin / G;
        var y = new double[N * Cout * OH * OW];
        for (long n = 0; n < N; ++n)
            for (long ci = 0; ci < Cin; ++ci)
                for (long ih = 0; ih < H; ++ih)
                    for (long iw = 0; iw < W; ++iw)
                        for (long co = 0; co < Coutg; ++co)
                            for (long kh = 0; kh < KH; ++kh)
                                for (long kw = 0; kw < KW; ++kw)
                                {
                                    long oh = ih * sh - ph + kh * dh, ow = iw * sw - pw + kw * dw;
                                    if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
                                    long oc = ci / Cing * Coutg + co;
                                    y[((n * Cout + oc) * OH + oh) * OW + ow] += x[((n * Cin + ci) * H + ih) * W + iw] * w[((ci * Coutg + co) * KH + kh) * KW + kw];
                                }
        if (b != null)
            for (long i = 0; i < y.Length; ++i) y[i] += b[i / (OH * OW) % Cout];
        return y;
    }
}
