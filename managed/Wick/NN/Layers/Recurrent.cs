using System;
using System.Collections.Generic;
using System.Globalization;

namespace Wick.NN;

/// <summary>
/// What LSTM and GRU share (PyTorch's nn.RNNBase): per layer and direction the weights weight_ih_l{k}[_reverse]
/// (gates·H, input), weight_hh_l{k} (gates·H, H) and biases bias_ih_l{k}, bias_hh_l{k}, all starting as
/// U(-1/√H, 1/√H); inputs (L, N, input) or (N, L, input) with <c>batchFirst</c>, or unbatched (L, input);
/// dropout between layers in training mode.
/// </summary>
public abstract class RecurrentBase : Module
{
    private readonly Tensor[][] _weights;  // [layer * directions + direction] = { w_ih, w_hh, b_ih?, b_hh? }
    private readonly Generator? _generator;

    private protected RecurrentBase(string name, int gates, long inputSize, long hiddenSize, int numLayers, bool bias, bool batchFirst, double dropout,
                                    bool bidirectional, DType dtype, Device? device, Generator? generator)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{name}: input_size and hidden_size must be positive");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{name}: num_layers must be at least 1");
        if (!(dropout >= 0 && dropout <= 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"{name}: dropout must be in [0, 1]");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        HasBias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        _generator = generator;
        int dirs = bidirectional ? 2 : 1;
        _weights = new Tensor[numLayers * dirs][];
        double bound = 1 / Math.Sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; ++layer)
        {
            for (int d = 0; d < dirs; ++d)
            {
                string suffix = $"_l{layer}" + (d == 1 ? "_reverse" : "");
                long inSize = layer == 0 ? inputSize : hiddenSize * dirs;
                var ws = new List<Tensor>
                {
                    RegisterParameter("weight_ih" + suffix, Tensor.Empty(new[] { gates * hiddenSize, inSize }, dtype, device)),
                    RegisterParameter("weight_hh" + suffix, Tensor.Empty(new[] { gates * hiddenSize, hiddenSize }, dtype, device)),
                };
                if (bias)
                {
                    ws.Add(RegisterParameter("bias_ih" + suffix, Tensor.Empty(new[] { gates * hiddenSize }, dtype, device)));
                    ws.Add(RegisterParameter("bias_hh" + suffix, Tensor.Empty(new[] { gates * hiddenSize }, dtype, device)));
                }
                foreach (var w in ws) Init.Uniform(w, -bound, bound, generator);
                _weights[layer * dirs + d] = ws.ToArray();
            }
        }
    }

    /// <summary>Features of each input step.</summary>
    public long InputSize { get; }
    /// <summary>Features of the hidden state.</summary>
    public long HiddenSize { get; }
    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }
    /// <summary>Whether the layers have biases.</summary>
    public bool HasBias { get; }
    /// <summary>Whether inputs and outputs are (N, L, features).</summary>
    public bool BatchFirst { get; }
    /// <summary>Dropout on the outputs of every layer but the last, in training mode.</summary>
    public double Dropout { get; }
    /// <summary>Whether each layer also runs backwards in time (outputs concatenate both directions).</summary>
    public bool Bidirectional { get; }

    private protected int Directions => Bidirectional ? 2 : 1;

    /// <summary>The weights of one layer and direction: w_ih, w_hh and, with biases, b_ih, b_hh.</summary>
    private protected Tensor[] Weights(int layer, int direction) => _weights[layer * Directions + direction];

    /// <summary>Checks the input and returns it time-major (L, N, features) plus the batch size; unbatched inputs get N = 1.</summary>
    // What an exporter sees of a forward (OpTracer.Composite): the input, the initial states (null when not given), then
    // every layer's and direction's weights in the order w_ih, w_hh[, b_ih, b_hh].
    private protected Tensor?[] TracedInputs(Tensor input, Tensor? h0, Tensor? c0)
    {
        var r = new List<Tensor?> { input, h0, c0 };
        foreach (var w in _weights) r.AddRange(w);
        return r.ToArray();
    }

    private protected object?[] TracedArgs() => new object?[] { HiddenSize, NumLayers, Bidirectional, BatchFirst, HasBias };

    private protected Tensor Prepare(Tensor input, out bool unbatched)
    {
        ArgumentNullException.ThrowIfNull(input);
        unbatched = input.Dim == 2;
        if ((input.Dim != 2 && input.Dim != 3) || input.Size(-1) != InputSize)
            throw new ShapeMismatchException(
                $"{Describe()}: expected an input of shape ({(BatchFirst ? "N, L" : "L, N")}, {InputSize}) or (L, {InputSize}), got {ShapeText(input)}");
        if (unbatched) return input.Unsqueeze(1);
        return BatchFirst ? input.Transpose(0, 1) : input.Narrow(0, 0, input.Size(0));
    }

    /// <summary>A state (layers·directions, N, H) from the caller or zeros; unbatched states (layers·directions, H) get N = 1.</summary>
    private protected Tensor InitialState(Tensor? given, long batch, bool unbatched, Tensor like, string what)
    {
        long[] want = { NumLayers * Directions, batch, HiddenSize };
        if (given is null) return Tensor.Zeros(want, like.DType, like.Device);
        Tensor g = unbatched ? given.Unsqueeze(1) : given.Narrow(0, 0, given.Size(0));
        if (!g.Shape.AsSpan().SequenceEqual(want))
        {
            g.Dispose();
            throw new ShapeMismatchException($"{Describe()}: {what} has shape {ShapeText(given)}; expected [{string.Join(", ", unbatched ? new[] { want[0], want[2] } : want)}]");
        }
        return g;
    }

    /// <summary>Dropout between layers.</summary>
    private protected Tensor DropoutBetweenLayers(Tensor x, int layer)
    {
        if (!Training || Dropout == 0 || layer == NumLayers - 1) return x;
        using (x) return new DropoutFunction(Dropout, _generator).Run(x);
    }

    /// <summary>Back to the caller's layout from time-major (L, N, features).</summary>
    private protected Tensor Finish(Tensor timeMajor, bool unbatched)
    {
        using (timeMajor)
        {
            if (unbatched) return timeMajor.Squeeze(1);
            return BatchFirst ? timeMajor.Transpose(0, 1) : timeMajor.Narrow(0, 0, timeMajor.Size(0));
        }
    }

    /// <summary>x (L, N, in) times w_ih ᵀ plus b_ih (and b_hh when <paramref name="withHiddenBias"/>): the input part of every step at once.</summary>
    private protected static Tensor InputProjection(Tensor x, Tensor[] w, bool withHiddenBias)
    {
        using Tensor wt = w[0].T;
        Tensor xw = x.MatMul(wt);
        if (w.Length < 4) return xw;
        using (xw)
        {
            if (!withHiddenBias) return xw + w[2];
            using Tensor b = w[2] + w[3];
            return xw + b;
        }
    }

    /// <summary>The gates of (N, gates·H) as <paramref name="gates"/> views of (N, H) (recorded by autograd as views).</summary>
    private protected Tensor[] Split(Tensor t, int gates)
    {
        var r = new Tensor[gates];
        for (int i = 0; i < gates; ++i) r[i] = t.Narrow(1, i * HiddenSize, HiddenSize);
        return r;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!HasBias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += ", dropout=" + Py.Num(Dropout);
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }
}

/// <summary>
/// Long short-term memory (PyTorch's nn.LSTM), multi-layer and optionally bidirectional. Per step, with gates in the order
/// input, forget, cell, output: i, f, o = σ(·), g = tanh(·) of x W_ihᵀ + b_ih + h W_hhᵀ + b_hh; c = f c + i g; h = o tanh(c).
/// </summary>
public sealed class LSTM : RecurrentBase
{
    /// <summary>An LSTM.</summary>
    public LSTM(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                bool bidirectional = false, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
        : base("LSTM", 4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, dtype, device, generator)
    {
    }

    /// <summary>
    /// Runs the sequence. Returns the last layer's hidden state at every step, (L, N, D·H) (or the input's layout), and the
    /// final (h, c) of every layer and direction, each (layers·D, N, H). <paramref name="state"/> gives the initial (h, c)
    /// (zeros when null).
    /// </summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state = null) =>
        OpTracer.Current is null ? ForwardCore(input, state) : OpTracer.Composite("LSTM", TracedInputs(input, state?.H, state?.C), () => ForwardCore(input, state), r => new[] { r.Output, r.State.H, r.State.C },
            TracedArgs());

    private (Tensor Output, (Tensor H, Tensor C) State) ForwardCore(Tensor input, (Tensor H, Tensor C)? state)
    {
        Tensor x = Prepare(input, out bool unbatched);
        long batch = x.Size(1);
        using Tensor h0 = InitialState(state?.H, batch, unbatched, x, "h0");
        using Tensor c0 = InitialState(state?.C, batch, unbatched, x, "c0");
        var hs = new List<Tensor>();
        var cs = new List<Tensor>();
        try
        {
            for (int layer = 0; layer < NumLayers; ++layer)
            {
                var outs = new Tensor[Directions];
                for (int d = 0; d < Directions; ++d)
                {
                    int slot = layer * Directions + d;
                    using Tensor h = h0.Select(0, slot);
                    using Tensor c = c0.Select(0, slot);
                    var (o, hn, cn) = RunDirection(x, Weights(layer, d), h, c, reverse: d == 1);
                    outs[d] = o;
                    hs.Add(hn);
                    cs.Add(cn);
                }
                Tensor next = Directions == 1 ? outs[0] : JoinFunction.Cat(outs, 2);
                if (Directions > 1) foreach (var o in outs) o.Dispose();
                x.Dispose();
                x = DropoutBetweenLayers(next, layer);
            }
            Tensor hN = JoinFunction.Stack(hs, 0), cN = JoinFunction.Stack(cs, 0);
            if (unbatched)
            {
                using (hN) using (cN) return (Finish(x, true), (hN.Squeeze(1), cN.Squeeze(1)));
            }
            return (Finish(x, false), (hN, cN));
        }
        finally
        {
            foreach (var t in hs) t.Dispose();
            foreach (var t in cs) t.Dispose();
        }
    }

    private (Tensor Output, Tensor H, Tensor C) RunDirection(Tensor x, Tensor[] w, Tensor h0, Tensor c0, bool reverse)
    {
        long steps = x.Size(0);
        using Tensor xw = InputProjection(x, w, withHiddenBias: true);   // (L, N, 4H)
        using Tensor whhT = w[1].T;
        Tensor h = h0.Narrow(0, 0, h0.Size(0)), c = c0.Narrow(0, 0, c0.Size(0));
        var outputs = new Tensor[steps];
        try
        {
            for (long i = 0; i < steps; ++i)
            {
                long t = reverse ? steps - 1 - i : i;
                using Tensor xt = xw.Select(0, t);
                using Tensor hw = h.MatMul(whhT);
                using Tensor gates = xt + hw;
                Tensor[] g = Split(gates, 4);
                try
                {
                    using Tensor ig = g[0].Sigmoid();
                    using Tensor fg = g[1].Sigmoid();
                    using Tensor cg = g[2].Tanh();
                    using Tensor og = g[3].Sigmoid();
                    using Tensor fc = fg * c;
                    using Tensor icg = ig * cg;
                    Tensor cNew = fc + icg;
                    using Tensor tc = cNew.Tanh();
                    Tensor hNew = og * tc;
                    c.Dispose();
                    h.Dispose();
                    c = cNew;
                    h = hNew;
                    outputs[t] = h.Narrow(0, 0, h.Size(0));
                }
                finally
                {
                    foreach (var v in g) v.Dispose();
                }
            }
            return (JoinFunction.Stack(outputs, 0), h, c);
        }
        catch
        {
            h.Dispose();
            c.Dispose();
            throw;
        }
        finally
        {
            foreach (var o in outputs) o?.Dispose();
        }
    }
}

/// <summary>
/// Gated recurrent unit (PyTorch's nn.GRU), multi-layer and optionally bidirectional. Per step, with gates in the order
/// reset, update, new: r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr), z = σ(…), n = tanh(x W_inᵀ + b_in + r ∘ (h W_hnᵀ + b_hn)),
/// h = (1 - z) n + z h.
/// </summary>
public sealed class GRU : RecurrentBase
{
    /// <summary>A GRU.</summary>
    public GRU(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
               bool bidirectional = false, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
        : base("GRU", 3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, dtype, device, generator)
    {
    }

    /// <summary>
    /// Runs the sequence. Returns the last layer's hidden state at every step, (L, N, D·H) (or the input's layout), and the
    /// final hidden state of every layer and direction, (layers·D, N, H). <paramref name="h0"/> is the initial state (zeros when null).
    /// </summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0 = null) =>
        OpTracer.Current is null ? ForwardCore(input, h0) : OpTracer.Composite("GRU", TracedInputs(input, h0, null), () => ForwardCore(input, h0), r => new[] { r.Output, r.H }, TracedArgs());

    private (Tensor Output, Tensor H) ForwardCore(Tensor input, Tensor? h0)
    {
        Tensor x = Prepare(input, out bool unbatched);
        long batch = x.Size(1);
        using Tensor hInit = InitialState(h0, batch, unbatched, x, "h0");
        var hs = new List<Tensor>();
        try
        {
            for (int layer = 0; layer < NumLayers; ++layer)
            {
                var outs = new Tensor[Directions];
                for (int d = 0; d < Directions; ++d)
                {
                    using Tensor h = hInit.Select(0, layer * Directions + d);
                    var (o, hn) = RunDirection(x, Weights(layer, d), h, reverse: d == 1);
                    outs[d] = o;
                    hs.Add(hn);
                }
                Tensor next = Directions == 1 ? outs[0] : JoinFunction.Cat(outs, 2);
                if (Directions > 1) foreach (var o in outs) o.Dispose();
                x.Dispose();
                x = DropoutBetweenLayers(next, layer);
            }
            Tensor hN = JoinFunction.Stack(hs, 0);
            if (unbatched)
            {
                using (hN) return (Finish(x, true), hN.Squeeze(1));
            }
            return (Finish(x, false), hN);
        }
        finally
        {
            foreach (var t in hs) t.Dispose();
        }
    }

    private (Tensor Output, Tensor H) RunDirection(Tensor x, Tensor[] w, Tensor h0, bool reverse)
    {
        long steps = x.Size(0);
        using Tensor xw = InputProjection(x, w, withHiddenBias: false);   // (L, N, 3H): x W_ihᵀ + b_ih
        using Tensor whhT = w[1].T;
        Tensor? bhh = w.Length == 4 ? w[3] : null;
        Tensor h = h0.Narrow(0, 0, h0.Size(0));
        var outputs = new Tensor[steps];
        try
        {
            for (long i = 0; i < steps; ++i)
            {
                long t = reverse ? steps - 1 - i : i;
                using Tensor xt = xw.Select(0, t);
                using Tensor hwRaw = h.MatMul(whhT);
                using Tensor hw = bhh is null ? hwRaw.Narrow(0, 0, hwRaw.Size(0)) : hwRaw + bhh;
                Tensor[] xg = Split(xt, 3), hg = Split(hw, 3);
                try
                {
                    using Tensor rs = xg[0] + hg[0];
                    using Tensor r = rs.Sigmoid();
                    using Tensor zs = xg[1] + hg[1];
                    using Tensor z = zs.Sigmoid();
                    using Tensor rh = r * hg[2];
                    using Tensor ns = xg[2] + rh;
                    using Tensor n = ns.Tanh();
                    using Tensor diff = h - n;
                    using Tensor zd = z * diff;
                    Tensor hNew = n + zd;   // (1 - z) n + z h
                    h.Dispose();
                    h = hNew;
                    outputs[t] = h.Narrow(0, 0, h.Size(0));
                }
                finally
                {
                    foreach (var v in xg) v.Dispose();
                    foreach (var v in hg) v.Dispose();
                }
            }
            return (JoinFunction.Stack(outputs, 0), h);
        }
        catch
        {
            h.Dispose();
            throw;
        }
        finally
        {
            foreach (var o in outputs) o?.Dispose();
        }
    }
}
