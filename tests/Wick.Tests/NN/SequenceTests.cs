using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

/// <summary>LSTM, GRU, multi-head attention and the Transformer encoder layer against plain float64 loops.</summary>
public class SequenceTests
{
    /// <summary>Deterministic values for a parameter: v(i) = 0.5 sin(seed + 0.7 i), written into every parameter before the test.</summary>
    private static void Fill(Module m, int seed)
    {
        using (Wick.Autograd.NoGrad())
        {
            int k = 0;
            foreach (var (_, p) in m.NamedParameters())
            {
                double[] v = Enumerable.Range(0, (int)p.NumberOfElements).Select(i => 0.5 * Math.Sin(seed + k + 0.7 * i)).ToArray();
                using var t = Tensor.FromArray(v, p.Shape);
                p.CopyFrom(t);
                ++k;
            }
        }
    }

    private static double[] Get(Tensor t) => Reference.Of(t).Data;
    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));

    // y[j] = b[j] + sum_i W[j, i] x[i] with W (rows, cols) row-major.
    private static double[] Affine(double[] w, double[]? b, double[] x, int rows, int cols)
    {
        var y = new double[rows];
        for (int j = 0; j < rows; ++j)
        {
            double s = b?[j] ?? 0;
            for (int i = 0; i < cols; ++i) s += w[j * cols + i] * x[i];
            y[j] = s;
        }
        return y;
    }

    /// <summary>One direction of one LSTM layer over a sequence of one batch element.</summary>
    private static (double[][] Outs, double[] H, double[] C) LstmRef(double[][] xs, double[] wih, double[] whh, double[] bih, double[] bhh, int hid, bool reverse)
    {
        int inSize = xs[0].Length;
        var h = new double[hid];
        var c = new double[hid];
        var outs = new double[xs.Length][];
        for (int s = 0; s < xs.Length; ++s)
        {
            int t = reverse ? xs.Length - 1 - s : s;
            double[] a = Affine(wih, bih, xs[t], 4 * hid, inSize), r = Affine(whh, bhh, h, 4 * hid, hid);
            var hn = new double[hid];
            for (int j = 0; j < hid; ++j)
            {
                double i = Sig(a[j] + r[j]), f = Sig(a[hid + j] + r[hid + j]), g = Math.Tanh(a[2 * hid + j] + r[2 * hid + j]), o = Sig(a[3 * hid + j] + r[3 * hid + j]);
                c[j] = f * c[j] + i * g;
                hn[j] = o * Math.Tanh(c[j]);
            }
            h = hn;
            outs[t] = h;
        }
        return (outs, h, c);
    }

    private static (double[][] Outs, double[] H) GruRef(double[][] xs, double[] wih, double[] whh, double[] bih, double[] bhh, int hid, bool reverse)
    {
        int inSize = xs[0].Length;
        var h = new double[hid];
        var outs = new double[xs.Length][];
        for (int s = 0; s < xs.Length; ++s)
        {
            int t = reverse ? xs.Length - 1 - s : s;
            double[] a = Affine(wih, bih, xs[t], 3 * hid, inSize), r = Affine(whh, bhh, h, 3 * hid, hid);
            var hn = new double[hid];
            for (int j = 0; j < hid; ++j)
            {
                double rr = Sig(a[j] + r[j]), z = Sig(a[hid + j] + r[hid + j]), n = Math.Tanh(a[2 * hid + j] + rr * r[2 * hid + j]);
                hn[j] = (1 - z) * n + z * h[j];
            }
            h = hn;
            outs[t] = h;
        }
        return (outs, h);
    }

    private static double[][] Seq(double[] flat, int len, int batch, int b, int feat, bool batchFirst) =>
        Enumerable.Range(0, len).Select(t => Enumerable.Range(0, feat).Select(f => flat[batchFirst ? (b * len + t) * feat + f : (t * batch + b) * feat + f]).ToArray()).ToArray();

    [Test]
    public void LstmMatchesTheGateEquationsForEveryLayerDirectionAndLayout([Values] bool batchFirst, [Values] bool bidirectional)
    {
        const int L = 4, N = 2, In = 3, H = 5, Layers = 2;
        using var lstm = new LSTM(In, H, numLayers: Layers, batchFirst: batchFirst, bidirectional: bidirectional, dtype: DType.Float64);
        Fill(lstm, 1);
        int dirs = bidirectional ? 2 : 1;
        long[] shape = batchFirst ? new long[] { N, L, In } : new long[] { L, N, In };
        double[] xd = Check.Values(L * N * In, 2, 4);
        using var x = Check.Tensor(xd, shape, DType.Float64);
        var (y, (hn, cn)) = lstm.Forward(x);
        using (y) using (hn) using (cn)
        {
            Assert.That(y.Shape, Is.EqualTo(batchFirst ? new long[] { N, L, dirs * H } : new long[] { L, N, dirs * H }));
            Assert.That(hn.Shape, Is.EqualTo(new long[] { Layers * dirs, N, H }));
            double[] yd = Get(y), hd = Get(hn), cd = Get(cn);
            var p = lstm.NamedParameters().ToDictionary(kv => kv.Key, kv => Get(kv.Value));
            for (int b = 0; b < N; ++b)
            {
                double[][] seq = Seq(xd, L, N, b, In, batchFirst);
                for (int layer = 0; layer < Layers; ++layer)
                {
                    var layerOut = new double[L][];
                    for (int t = 0; t < L; ++t) layerOut[t] = new double[dirs * H];
                    for (int d = 0; d < dirs; ++d)
                    {
                        string sfx = $"_l{layer}" + (d == 1 ? "_reverse" : "");
                        var (outs, hh, cc) = LstmRef(seq, p["weight_ih" + sfx], p["weight_hh" + sfx], p["bias_ih" + sfx], p["bias_hh" + sfx], H, d == 1);
                        for (int t = 0; t < L; ++t) Array.Copy(outs[t], 0, layerOut[t], d * H, H);
                        for (int j = 0; j < H; ++j)
                        {
                            Assert.That(hd[((layer * dirs + d) * N + b) * H + j], Is.EqualTo(hh[j]).Within(1e-12));
                            Assert.That(cd[((layer * dirs + d) * N + b) * H + j], Is.EqualTo(cc[j]).Within(1e-12));
                        }
                    }
                    seq = layerOut;
                }
                for (int t = 0; t < L; ++t)
                    for (int j = 0; j < dirs * H; ++j)
                        Assert.That(yd[(batchFirst ? (b * L + t) : (t * N + b)) * dirs * H + j], Is.EqualTo(seq[t][j]).Within(1e-12), $"y[t={t}, b={b}, {j}]");
            }
        }
    }

    [Test]
    public void GruMatchesTheGateEquations([Values] bool bidirectional)
    {
        const int L = 5, N = 3, In = 2, H = 4;
        using var gru = new GRU(In, H, bidirectional: bidirectional, dtype: DType.Float64);
        Fill(gru, 3);
        int dirs = bidirectional ? 2 : 1;
        double[] xd = Check.Values(L * N * In, 4, 4);
        using var x = Check.Tensor(xd, new long[] { L, N, In }, DType.Float64);
        var (y, hn) = gru.Forward(x);
        using (y) using (hn)
        {
            double[] yd = Get(y), hd = Get(hn);
            var p = gru.NamedParameters().ToDictionary(kv => kv.Key, kv => Get(kv.Value));
            for (int b = 0; b < N; ++b)
                for (int d = 0; d < dirs; ++d)
                {
                    string sfx = "_l0" + (d == 1 ? "_reverse" : "");
                    var (outs, hh) = GruRef(Seq(xd, L, N, b, In, false), p["weight_ih" + sfx], p["weight_hh" + sfx], p["bias_ih" + sfx], p["bias_hh" + sfx], H, d == 1);
                    for (int t = 0; t < L; ++t)
                        for (int j = 0; j < H; ++j) Assert.That(yd[(t * N + b) * dirs * H + d * H + j], Is.EqualTo(outs[t][j]).Within(1e-12));
                    for (int j = 0; j < H; ++j) Assert.That(hd[(d * N + b) * H + j], Is.EqualTo(hh[j]).Within(1e-12));
                }
        }
    }

    [Test]
    public void RecurrentGradientsPassTheGradientCheck()
    {
        using var lstm = new LSTM(2, 3, numLayers: 2, batchFirst: true, dtype: DType.Float64, generator: new Generator(1));
        using var gru = new GRU(2, 3, bidirectional: true, dtype: DType.Float64, generator: new Generator(2));
        using var x = Check.Tensor(Check.Values(2 * 3 * 2, 5), new long[] { 2, 3, 2 }, DType.Float64);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => { var (y, (h, c)) = lstm.Forward(a[0]); h.Dispose(); c.Dispose(); return y; }, new[] { x }));
        Assert.That(Wick.Autograd.GradCheck(a => { var (y, h) = gru.Forward(a[0]); return h; }, new[] { x }));
    }

    [Test]
    public void RecurrentLayersAcceptUnbatchedInputsAndInitialStates()
    {
        using var lstm = new LSTM(2, 3, dtype: DType.Float64, generator: new Generator(3));
        using var x = Check.Tensor(Check.Values(8, 6), new long[] { 4, 2 }, DType.Float64);
        using var h0 = Check.Tensor(Check.Values(3, 7), new long[] { 1, 3 }, DType.Float64);
        using var c0 = Check.Tensor(Check.Values(3, 8), new long[] { 1, 3 }, DType.Float64);
        var (y, (h, c)) = lstm.Forward(x, (h0, c0));
        using (y) using (h) using (c)
        {
            Assert.That(y.Shape, Is.EqualTo(new long[] { 4, 3 }));
            Assert.That(h.Shape, Is.EqualTo(new long[] { 1, 3 }));
            Assert.That(y.Select(0, 3).ToArray<double>(), Is.EqualTo(h.Select(0, 0).ToArray<double>()));
        }
        using var bad = Tensor.Zeros(new long[] { 4, 5 }, DType.Float64);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => lstm.Forward(bad))!.Message, Does.StartWith("LSTM(2, 3): expected an input of shape (L, N, 2)"));
        Assert.That(new GRU(4, 8, numLayers: 2, batchFirst: true, dropout: 0.1).ToString(), Is.EqualTo("GRU(4, 8, num_layers=2, batch_first=True, dropout=0.1)"));
        Assert.That(lstm.NamedParameters().Select(kv => kv.Key), Is.EqualTo(new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0" }));
    }

    /// <summary>Attention for one batch element: softmax(q kᵀ / √d + mask) v per head, then the output projection.</summary>
    private static double[,] AttentionRef(double[][] q, double[][] k, double[][] v, double[] win, double[] bin, double[] wout, double[] bout, int e, int heads,
                                          bool[]? keyPad, out double[,] avgWeights)
    {
        int l = q.Length, s = k.Length, d = e / heads;
        double[][] Q = q.Select(r => Affine(win.Take(e * e).ToArray(), bin.Take(e).ToArray(), r, e, e)).ToArray();
        double[][] K = k.Select(r => Affine(win.Skip(e * e).Take(e * e).ToArray(), bin.Skip(e).Take(e).ToArray(), r, e, e)).ToArray();
        double[][] V = v.Select(r => Affine(win.Skip(2 * e * e).ToArray(), bin.Skip(2 * e).ToArray(), r, e, e)).ToArray();
        var ctx = new double[l][];
        for (int i = 0; i < l; ++i) ctx[i] = new double[e];
        avgWeights = new double[l, s];
        for (int h = 0; h < heads; ++h)
            for (int i = 0; i < l; ++i)
            {
                var sc = new double[s];
                for (int j = 0; j < s; ++j)
                {
                    double dot = 0;
                    for (int c = 0; c < d; ++c) dot += Q[i][h * d + c] * K[j][h * d + c];
                    sc[j] = keyPad is not null && keyPad[j] ? double.NegativeInfinity : dot / Math.Sqrt(d);
                }
                double m = sc.Max();
                double[] ex = sc.Select(z => Math.Exp(z - m)).ToArray();
                double sum = ex.Sum();
                for (int j = 0; j < s; ++j)
                {
                    double a = ex[j] / sum;
                    avgWeights[i, j] += a / heads;
                    for (int c = 0; c < d; ++c) ctx[i][h * d + c] += a * V[j][h * d + c];
                }
            }
        var y = new double[l, e];
        for (int i = 0; i < l; ++i)
        {
            double[] o = Affine(wout, bout, ctx[i], e, e);
            for (int c = 0; c < e; ++c) y[i, c] = o[c];
        }
        return y;
    }

    [Test]
    public void MultiheadAttentionMatchesScaledDotProductAttentionPerHead([Values] bool batchFirst, [Values] bool padded)
    {
        const int L = 3, S = 4, N = 2, E = 6, Heads = 3;
        using var mha = new MultiheadAttention(E, Heads, batchFirst: batchFirst, dtype: DType.Float64);
        Fill(mha, 5);
        long[] qs = batchFirst ? new long[] { N, L, E } : new long[] { L, N, E }, ks = batchFirst ? new long[] { N, S, E } : new long[] { S, N, E };
        double[] qd = Check.Values(N * L * E, 6), kd = Check.Values(N * S * E, 7), vd = Check.Values(N * S * E, 8);
        using var q = Check.Tensor(qd, qs, DType.Float64);
        using var k = Check.Tensor(kd, ks, DType.Float64);
        using var v = Check.Tensor(vd, ks, DType.Float64);
        bool[,] pad = { { false, false, true, false }, { false, true, true, false } };
        using var mask = padded ? Tensor.FromArray(pad) : null;
        var (y, w) = mha.Forward(q, k, v, keyPaddingMask: mask);
        using (y) using (w)
        {
            Assert.That(y.Shape, Is.EqualTo(qs));
            Assert.That(w!.Shape, Is.EqualTo(new long[] { N, L, S }));
            double[] yd = Get(y), wd = Get(w);
            double[] win = Get(mha.InProjWeight), bin = Get(mha.InProjBias!), wout = Get(mha.OutProj.Weight), bout = Get(mha.OutProj.Bias!);
            for (int b = 0; b < N; ++b)
            {
                double[,] expected = AttentionRef(Seq(qd, L, N, b, E, batchFirst), Seq(kd, S, N, b, E, batchFirst), Seq(vd, S, N, b, E, batchFirst),
                                                  win, bin, wout, bout, E, Heads, padded ? new[] { pad[b, 0], pad[b, 1], pad[b, 2], pad[b, 3] } : null, out var aw);
                for (int i = 0; i < L; ++i)
                {
                    for (int c = 0; c < E; ++c)
                        Assert.That(yd[(batchFirst ? b * L + i : i * N + b) * E + c], Is.EqualTo(expected[i, c]).Within(1e-12));
                    for (int j = 0; j < S; ++j) Assert.That(wd[(b * L + i) * S + j], Is.EqualTo(aw[i, j]).Within(1e-12));
                }
            }
        }
        q.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => { var (o, ww) = mha.Forward(a[0], k, v, mask, needWeights: false); return o; }, new[] { q }));
    }

    [Test]
    public void ACausalMaskStopsAttentionToLaterPositions()
    {
        using var mha = new MultiheadAttention(4, 2, dtype: DType.Float64, generator: new Generator(9));
        using var x = Check.Tensor(Check.Values(3 * 4, 10), new long[] { 3, 4 }, DType.Float64);   // unbatched (L, E)
        using var causal = Tensor.FromArray(new bool[,] { { false, true, true }, { false, false, true }, { false, false, false } });
        var (y, w) = mha.Forward(x, x, x, attnMask: causal);
        using (y) using (w)
        {
            double[] wd = Get(w!);
            Assert.That(w!.Shape, Is.EqualTo(new long[] { 3, 3 }));
            Assert.That(new[] { wd[1], wd[2], wd[5] }, Has.All.EqualTo(0.0));
            Assert.That(wd[0], Is.EqualTo(1.0).Within(1e-15));
        }
    }

    [Test]
    public void TransformerEncoderLayerIsAttentionAndFeedForwardWithResidualsAndNorms([Values] bool normFirst)
    {
        const int L = 3, N = 2, E = 4;
        using var layer = new TransformerEncoderLayer(E, 2, dimFeedforward: 5, dropout: 0, normFirst: normFirst, dtype: DType.Float64);
        Fill(layer, 11);
        Assert.That(layer.NamedParameters().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
        }));
        double[] xd = Check.Values(L * N * E, 12, 3);
        using var x = Check.Tensor(xd, new long[] { L, N, E }, DType.Float64);
        using var y = layer.Forward(x);
        double[] yd = Get(y);
        var p = layer.NamedParameters().ToDictionary(kv => kv.Key, kv => Get(kv.Value));
        double[] Norm(double[] r, string n)
        {
            double m = r.Average(), v = r.Average(z => (z - m) * (z - m));
            return r.Select((z, i) => (z - m) / Math.Sqrt(v + 1e-5) * p[n + ".weight"][i] + p[n + ".bias"][i]).ToArray();
        }
        double[] Ff(double[] r)
        {
            double[] h = Affine(p["linear1.weight"], p["linear1.bias"], r, 5, E).Select(z => Math.Max(z, 0)).ToArray();
            return Affine(p["linear2.weight"], p["linear2.bias"], h, E, 5);
        }
        for (int b = 0; b < N; ++b)
        {
            double[][] seq = Seq(xd, L, N, b, E, false);
            double[][] src = normFirst ? seq.Select(r => Norm(r, "norm1")).ToArray() : seq;
            double[,] att = AttentionRef(src, src, src, p["self_attn.in_proj_weight"], p["self_attn.in_proj_bias"], p["self_attn.out_proj.weight"],
                                         p["self_attn.out_proj.bias"], E, 2, null, out _);
            for (int i = 0; i < L; ++i)
            {
                double[] r1 = Enumerable.Range(0, E).Select(c => seq[i][c] + att[i, c]).ToArray();
                double[] outRow;
                if (normFirst)
                {
                    double[] f = Ff(Norm(r1, "norm2"));
                    outRow = r1.Select((z, c) => z + f[c]).ToArray();
                }
                else
                {
                    double[] x1 = Norm(r1, "norm1");
                    double[] f = Ff(x1);
                    outRow = Norm(x1.Select((z, c) => z + f[c]).ToArray(), "norm2");
                }
                for (int c = 0; c < E; ++c) Assert.That(yd[(i * N + b) * E + c], Is.EqualTo(outRow[c]).Within(1e-11));
            }
        }
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => layer.Forward(a[0]), new[] { x }));
    }
}
