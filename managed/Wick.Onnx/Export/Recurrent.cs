using System;
using System.Collections.Generic;
using System.Linq;
using static Wick.Onnx.Export.GraphBuilder;

namespace Wick.Onnx.Export;

// LSTM and GRU, reported whole by the layers (OpTracer.Composite), become ONNX's own LSTM and GRU nodes, one per layer.
// Reported inputs: the input, h0, c0 (null when not given), then per layer and direction w_ih, w_hh[, b_ih, b_hh];
// arguments: hidden size, layers, bidirectional, batch first, bias.
internal sealed partial class Tracer
{
    // ONNX's gate order as indices into PyTorch's: LSTM i f g o → i o f c; GRU r z n → z r h.
    private static readonly int[] LstmGates = { 0, 3, 1, 2 };
    private static readonly int[] GruGates = { 1, 0, 2 };

    private Value?[] Recurrent(string op, Value?[] x, Tensor?[] outs, object?[] a)
    {
        bool lstm = op == "LSTM";
        long hidden = (long)a[0]!;
        int layers = (int)a[1]!;
        bool bidirectional = (bool)a[2]!, batchFirst = (bool)a[3]!, bias = (bool)a[4]!;
        int dirs = bidirectional ? 2 : 1;
        int[] order = lstm ? LstmGates : GruGates;
        int perDirection = bias ? 4 : 2;
        Value input = x[0]!;
        Value? h0 = x[1], c0 = x[2];
        bool unbatched = input.Rank == 2;
        if (input.Rank is not (2 or 3)) throw Unsupported($"{op} of a rank-{input.Rank} input", "expected (N, L, features), (L, N, features) or (L, features)");

        // Time-major (L, N, features); an unbatched input gets N = 1.
        string seq = unbatched ? _g.Op("Unsqueeze", new[] { input.Name, _g.Int64s(1) })
            : batchFirst ? _g.Op("Transpose", new[] { input.Name }, Ints("perm", new long[] { 1, 0, 2 }))
            : input.Name;
        string State(Value v) => unbatched ? _g.Op("Unsqueeze", new[] { v.Name, _g.Int64s(1) }) : v.Name;
        string? h0All = h0 is null ? null : State(h0), c0All = c0 is null ? null : State(c0);

        var hs = new List<string>();
        var cs = new List<string>();
        for (int layer = 0; layer < layers; ++layer)
        {
            var w = new List<string>();
            var r = new List<string>();
            var b = new List<string>();
            for (int d = 0; d < dirs; ++d)
            {
                int at = 3 + (layer * dirs + d) * perDirection;
                w.Add(Gates(x[at]!, order, hidden));
                r.Add(Gates(x[at + 1]!, order, hidden));
                if (bias) b.Add(_g.Op("Concat", new[] { Gates(x[at + 2]!, order, hidden), Gates(x[at + 3]!, order, hidden) }, Int("axis", 0)));
            }
            string Directions(List<string> parts) =>
                _g.Op("Concat", parts.Select(p => _g.Op("Unsqueeze", new[] { p, _g.Int64s(0) })).ToArray(), Int("axis", 0));
            string Layer(string? all) => all is null ? ""
                : _g.Op("Slice", new[] { all, _g.Int64s(layer * dirs), _g.Int64s((layer + 1) * dirs), _g.Int64s(0) });
            var inputs = new List<string> { seq, Directions(w), Directions(r), bias ? Directions(b) : "", "", Layer(h0All) };
            if (lstm) inputs.Add(Layer(c0All));
            while (inputs[^1] == "") inputs.RemoveAt(inputs.Count - 1);
            string y = _g.Fresh(op.ToLowerInvariant() + "_y"), yh = _g.Fresh(op.ToLowerInvariant() + "_h");
            string[] outputs = lstm ? new[] { y, yh, _g.Fresh("lstm_c") } : new[] { y, yh };
            var attributes = new List<Proto.AttributeProto> { Int("hidden_size", hidden), Str("direction", bidirectional ? "bidirectional" : "forward") };
            if (!lstm) attributes.Add(Int("linear_before_reset", 1));  // PyTorch applies r to (W_hn h + b_hn)
            _g.Node(op, inputs.ToArray(), outputs, attributes.ToArray());
            hs.Add(yh);
            if (lstm) cs.Add(outputs[2]);
            // Y is (L, directions, N, H): directions next to the features, then merged into them.
            string yt = _g.Op("Transpose", new[] { y }, Ints("perm", new long[] { 0, 2, 1, 3 }));
            seq = _g.Op("Reshape", new[] { yt, _g.Int64s(0, 0, -1) });
        }

        string output = unbatched ? _g.Op("Squeeze", new[] { seq, _g.Int64s(1) })
            : batchFirst ? _g.Op("Transpose", new[] { seq }, Ints("perm", new long[] { 1, 0, 2 }))
            : seq;
        string Final(List<string> parts)
        {
            string all = parts.Count == 1 ? parts[0] : _g.Op("Concat", parts.ToArray(), Int("axis", 0));
            return unbatched ? _g.Op("Squeeze", new[] { all, _g.Int64s(1) }) : all;
        }

        // The dynamic axis of the input is the batch (then it is also axis 1 of the states) or the sequence.
        int batchAxis = unbatched ? -1 : batchFirst ? 0 : 1;
        int outBatch = input.Batch;
        int stateBatch = input.Batch >= 0 && input.Batch == batchAxis ? 1 : -1;
        var result = new Value?[outs.Length];
        result[0] = Out(outs[0]!, output, outBatch);
        result[1] = Out(outs[1]!, Final(hs), stateBatch);
        if (lstm) result[2] = Out(outs[2]!, Final(cs), stateBatch);
        return result;
    }

    // A (gates * hidden, ...) weight or bias with its gate blocks put in ONNX's order.
    private string Gates(Value w, int[] order, long hidden)
    {
        var parts = order.Select(_ => _g.Fresh("gate")).ToArray();
        _g.Node("Split", new[] { w.Name, _g.Int64s(Enumerable.Repeat(hidden, order.Length).ToArray()) }, parts, Int("axis", 0));
        return _g.Op("Concat", order.Select(i => parts[i]).ToArray(), Int("axis", 0));
    }
}
