using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Loading;
using Window = Wick.Onnx.Runtime.WindowGeometry.Window;

namespace Wick.Onnx.Runtime;

/// <summary>
/// Neural-network operators on Wick's functional API: convolutions, pooling, normalisations, softmax, dropout and the
/// two losses. 1-D inputs (N, C, L) run on the 2-D kernels as (N, C, 1, L); padding Wick's kernels do not take
/// (asymmetric, or wider than half the kernel) is applied explicitly first.
/// </summary>
internal static class NNOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["Conv"] = Conv;
        t["ConvTranspose"] = ConvTranspose;
        t["MaxPool"] = MaxPool;
        t["AveragePool"] = AveragePool;
        t["GlobalAveragePool"] = c => Global(c, (x, dims) => x.Mean(dims, keepDim: true));
        t["GlobalMaxPool"] = c => Global(c, (x, dims) => x.Amax(dims, keepDim: true));
        t["BatchNormalization"] = BatchNormalization;
        t["LayerNormalization"] = LayerNormalization;
        t["Softmax"] = c => Softmax(c, (x, d) => x.Softmax(d));
        t["LogSoftmax"] = c => Softmax(c, (x, d) => x.LogSoftmax(d));
        t["Dropout"] = Dropout;
        t["Resize"] = Resize;
        t["NegativeLogLikelihoodLoss"] = NllLoss;
        t["SoftmaxCrossEntropyLoss"] = SoftmaxCrossEntropy;
    }

    private static Kernel Conv(NodeContext c)
    {
        c.Arity(2, 3);
        var geometry = new WindowGeometry(c);
        long groups = c.Int("group", 1);
        return ins =>
        {
            Tensor x = ins[0]!, w = ins[1]!;
            Tensor? b = ins.Length > 2 ? ins[2] : null;
            int n = geometry.SpatialRank(x);
            if (w.Dim != x.Dim) throw new ShapeMismatchException($"{c.Name}: weight of shape {NodeContext.List(w.Shape)} for an input of shape {NodeContext.List(x.Shape)}");
            Window win = geometry.Resolve(x.Shape[2..], w.Shape[2..]).As2d();
            using Tensor x4 = WindowGeometry.To4d(x);
            using Tensor w4 = WindowGeometry.To4d(w);
            c.CheckElements(Padded(x4, win), "the padded input");
            var (input, padding) = PadFor(x4, win, 0, native: win.Symmetric);
            using (input)
            {
                Tensor y = Functional.Conv2d(input, w4, b, (win.Strides[0], win.Strides[1]), padding, (win.Dilations[0], win.Dilations[1]), groups);
                return new[] { WindowGeometry.From4d(y, n) };
            }
        };
    }

    /// <summary>
    /// ConvTranspose: the full transposed convolution (no padding), then cropped by the pads and extended by output_padding
    /// (the cells past the input's reach are zeros plus the bias). output_shape, when given, fixes the pads.
    /// </summary>
    private static Kernel ConvTranspose(NodeContext c)
    {
        c.Arity(2, 3);
        var geometry = new WindowGeometry(c);
        long groups = c.Int("group", 1);
        long[]? outputPadding = c.Ints("output_padding");
        long[]? outputShape = c.Ints("output_shape");
        return ins =>
        {
            Tensor x = ins[0]!, w = ins[1]!;
            Tensor? b = ins.Length > 2 ? ins[2] : null;
            int n = geometry.SpatialRank(x);
            if (w.Dim != x.Dim) throw new ShapeMismatchException($"{c.Name}: weight of shape {NodeContext.List(w.Shape)} for an input of shape {NodeContext.List(x.Shape)}");
            long[] spatial = x.Shape[2..];
            Window win = geometry.Resolve(spatial, w.Shape[2..], transposed: true);
            long[] op = outputPadding ?? new long[n];
            if (op.Length != n) throw new ShapeMismatchException($"{c.Name}: output_padding {NodeContext.List(op)} must have {n} entries");
            long[] begin = win.Begin.ToArray(), end = win.End.ToArray();
            long[]? target = outputShape is { } os ? (os.Length == n ? os : os.Length == n + 2 ? os[2..] : throw new ShapeMismatchException($"{c.Name}: output_shape {NodeContext.List(os)} must have {n} entries"))
                : geometry.AutoPad.StartsWith("SAME", StringComparison.Ordinal) ? spatial.Select((s, i) => s * win.Strides[i]).ToArray() : null;
            var full = new long[n];
            for (int i = 0; i < n; ++i)
            {
                full[i] = checked(win.Strides[i] * (spatial[i] - 1) + (win.Kernel[i] - 1) * win.Dilations[i] + 1);
                if (target is not null)
                {
                    long total = checked(full[i] + op[i] - target[i]);
                    bool upper = geometry.AutoPad == "SAME_UPPER";
                    begin[i] = upper ? total / 2 : total - total / 2;
                    end[i] = total - begin[i];
                }
            }
            Window w2 = (win with { Begin = begin, End = end }).As2d();
            c.CheckElements(new[] { x.Size(0), w.Size(1) * groups }.Concat(full.Select((f, i) => f + op[i])), "the full output");
            long[] op2 = n == 1 ? new[] { 0L, op[0] } : op;
            using Tensor x4 = WindowGeometry.To4d(x);
            using Tensor w4 = WindowGeometry.To4d(w);
            using Tensor y = Functional.ConvTranspose2d(x4, w4, null, (w2.Strides[0], w2.Strides[1]), (0, 0), (0, 0), groups, (w2.Dilations[0], w2.Dilations[1]));
            // Negative constant padding crops: the pads come off, output_padding adds zero cells at the end.
            using Tensor cropped = y.Pad(new[] { -w2.Begin[1], op2[1] - w2.End[1], -w2.Begin[0], op2[0] - w2.End[0] });
            Tensor r;
            if (b is null) r = cropped.Contiguous();
            else
            {
                using Tensor bias = b.Reshape(1, b.NumberOfElements, 1, 1);
                r = cropped.Add(bias);
            }
            return new[] { WindowGeometry.From4d(r, n) };
        };
    }

    /// <summary>
    /// The input for a pooling/convolution with the window's padding: Wick's kernels pad symmetrically by at most half the
    /// kernel (pooling) or any amount (convolution); otherwise the input is padded here with <paramref name="fill"/>.
    /// </summary>
    private static (Tensor Input, (long H, long W) Padding) PadFor(Tensor x4, Window win, double fill, bool native)
    {
        if (native) return (GraphRunner.Alias(x4), (win.Begin[0], win.Begin[1]));
        return (x4.Pad(win.PadList(), PaddingMode.Constant, fill), (0, 0));
    }

    /// <summary>The shape of a 4-d input with the window's padding added (checked against the element limit before padding).</summary>
    private static long[] Padded(Tensor x4, Window w)
    {
        long[] s = x4.Shape;
        return new[] { s[0], s[1], Add(s[2], w.Begin[0], w.End[0]), Add(s[3], w.Begin[1], w.End[1]) };

        // Pads and sizes past 2^60 saturate there: the element check refuses them anyway.
        static long Add(long a, long b, long c) => a > 1L << 60 || b > 1L << 60 || c > 1L << 60 ? 1L << 60 : a + b + c;
    }

    private static bool PoolPadsNatively(Window w) =>
        w.Symmetric && w.Begin[0] * 2 <= w.Kernel[0] && w.Begin[1] * 2 <= w.Kernel[1];

    private static Kernel MaxPool(NodeContext c)
    {
        c.Arity(1, 1, 1, 2);
        var geometry = new WindowGeometry(c);
        if (geometry.KernelAttribute is null) throw c.Error("attribute 'kernel_shape' is required");
        bool ceil = c.Int("ceil_mode", 0) != 0;
        long storageOrder = c.Int("storage_order", 0);
        bool wantIndices = c.HasOutput(1);
        if (wantIndices && storageOrder != 0) throw c.NotSupported("column-major Indices (storage_order 1) are not implemented");
        return ins =>
        {
            Tensor x = ins[0]!;
            int n = geometry.SpatialRank(x);
            Window win = geometry.Resolve(x.Shape[2..], null).As2d();
            using Tensor x4 = WindowGeometry.To4d(x);
            bool native = PoolPadsNatively(win);
            if (wantIndices && !native)
                throw c.NotSupported($"Indices with pads {NodeContext.List(win.Begin.Concat(win.End))} (asymmetric or wider than half the kernel) are not implemented");
            c.CheckElements(Padded(x4, win), "the padded input");
            var (input, padding) = PadFor(x4, win, double.NegativeInfinity, native);
            using (input)
            {
                var (y, indices) = Functional.MaxPool2dWithIndices(input, (win.Kernel[0], win.Kernel[1]), (win.Strides[0], win.Strides[1]), padding,
                    (win.Dilations[0], win.Dilations[1]), ceil);
                if (!wantIndices)
                {
                    indices.Dispose();
                    return new[] { WindowGeometry.From4d(y, n) };
                }
                // Wick's index is h * W + w inside one (n, c) plane; ONNX's counts over the whole tensor.
                using (indices)
                {
                    long[] s = x4.Shape;
                    long plane = s[2] * s[3];
                    using Tensor planes = Tensor.Arange(0, s[0] * s[1], 1, DType.Int64);
                    using Tensor offsets = planes.Mul(plane);
                    using Tensor shaped = offsets.Reshape(s[0], s[1], 1, 1);
                    using Tensor i64 = indices.To(DType.Int64);
                    Tensor global = i64.Add(shaped);
                    return new[] { WindowGeometry.From4d(y, n), WindowGeometry.From4d(global, n) };
                }
            }
        };
    }

    private static Kernel AveragePool(NodeContext c)
    {
        c.Arity(1, 1);
        var geometry = new WindowGeometry(c, hasDilations: c.Opset >= 19);
        if (geometry.KernelAttribute is null) throw c.Error("attribute 'kernel_shape' is required");
        bool ceil = c.Int("ceil_mode", 0) != 0;
        bool includePad = c.Int("count_include_pad", 0) != 0;
        return ins =>
        {
            Tensor x = ins[0]!;
            int n = geometry.SpatialRank(x);
            Window win = geometry.Resolve(x.Shape[2..], null).As2d();
            if (win.Dilations.Any(d => d != 1)) throw c.NotSupported($"dilations {NodeContext.List(win.Dilations)}: Wick's average pooling has no dilation");
            using Tensor x4 = WindowGeometry.To4d(x);
            c.CheckElements(Padded(x4, win), "the padded input");
            var k = (win.Kernel[0], win.Kernel[1]);
            var s = (win.Strides[0], win.Strides[1]);
            if (PoolPadsNatively(win))
                return new[] { WindowGeometry.From4d(Functional.AvgPool2d(x4, k, s, (win.Begin[0], win.Begin[1]), ceil, includePad), n) };
            using Tensor padded = x4.Pad(win.PadList());
            Tensor sum = Functional.AvgPool2d(padded, k, s, (0, 0), ceil, countIncludePad: true);
            if (includePad) return new[] { WindowGeometry.From4d(sum, n) };
            // Excluding the padding: divide by the share of real cells in each window (the same pooling of a padded ones plane).
            using (sum)
            {
                long[] shape = x4.Shape;
                using Tensor ones = Tensor.Ones(new[] { 1L, 1, shape[2], shape[3] }, x4.DType);
                using Tensor paddedOnes = ones.Pad(win.PadList());
                using Tensor share = Functional.AvgPool2d(paddedOnes, k, s, (0, 0), ceil, countIncludePad: true);
                return new[] { WindowGeometry.From4d(sum.Div(share), n) };
            }
        };
    }

    private static Kernel Global(NodeContext c, Func<Tensor, int[], Tensor> reduce)
    {
        c.Arity(1, 1);
        return ins =>
        {
            Tensor x = ins[0]!;
            if (x.Dim < 3) throw new ShapeMismatchException($"{c.Name}: input must be (N, C, d1, ...), got shape {NodeContext.List(x.Shape)}");
            return new[] { reduce(x, Enumerable.Range(2, x.Dim - 2).ToArray()) };
        };
    }

    /// <summary>
    /// BatchNormalization: inference normalises with the given mean and variance; training_mode (opset 14+) normalises
    /// with the batch's mean and biased variance and also returns running = given·momentum + batch·(1 - momentum).
    /// </summary>
    private static Kernel BatchNormalization(NodeContext c)
    {
        if (c.Opset < 9 && c.Int("spatial", 1) != 1) throw c.NotSupported("spatial 0 (per-activation statistics) is not implemented");
        if (c.Opset < 7) throw c.NotSupported("BatchNormalization before opset 7 (is_test, consumed_inputs) is not implemented");
        bool training = c.Opset >= 14 && c.Int("training_mode", 0) != 0;
        c.Arity(5, 5, 1, training ? 3 : 1);
        double eps = c.Float("epsilon", 1e-5f);
        double momentum = c.Float("momentum", 0.9f);
        return ins =>
        {
            Tensor x = ins[0]!, scale = ins[1]!, bias = ins[2]!, mean = ins[3]!, variance = ins[4]!;
            if (x.Dim < 2) throw new ShapeMismatchException($"{c.Name}: input must be (N, C, ...), got shape {NodeContext.List(x.Shape)}");
            if (!training) return new[] { Functional.BatchNorm(x, mean, variance, scale, bias, training: false, eps: eps) };
            int[] dims = Enumerable.Range(0, x.Dim).Where(d => d != 1).ToArray();
            using Tensor batchMean = x.Mean(dims);
            using Tensor batchVar = x.Var(dims, correction: 0);
            Tensor y = Functional.BatchNorm(x, batchMean, batchVar, scale, bias, training: false, eps: eps);
            return new[] { y, Blend(mean, batchMean, momentum), Blend(variance, batchVar, momentum) };
        };

        static Tensor Blend(Tensor given, Tensor batch, double momentum)
        {
            using Tensor a = given.Mul(momentum);
            using Tensor b = batch.Mul(1 - momentum);
            return a.Add(b);
        }
    }

    /// <summary>LayerNormalization over the axes from 'axis' on; Mean and InvStdDev keep the leading shape with ones after.</summary>
    private static Kernel LayerNormalization(NodeContext c)
    {
        c.Arity(2, 3, 1, 3);
        long axis = c.Int("axis", -1);
        double eps = c.Float("epsilon", 1e-5f);
        long stash = c.Int("stash_type", 1);
        if (stash != 1) throw c.NotSupported($"stash_type {stash}: Wick computes the statistics in float32 (stash_type 1)");
        return ins =>
        {
            Tensor x = ins[0]!, scale = ins[1]!;
            Tensor? bias = ins.Length > 2 ? ins[2] : null;
            int a = c.Axis(axis, x.Dim);
            long[] normalized = x.Shape[a..];
            using Tensor w = scale.Shape.SequenceEqual(normalized) ? GraphRunner.Alias(scale) : Broadcast(scale, normalized, c, "Scale");
            using Tensor? b = bias is null ? null : bias.Shape.SequenceEqual(normalized) ? GraphRunner.Alias(bias) : Broadcast(bias, normalized, c, "B");
            var (y, mean, rstd) = Functional.LayerNormWithStats(x, normalized, w, b, eps);
            return new[] { y, c.HasOutput(1) ? mean : Drop(mean), c.HasOutput(2) ? rstd : Drop(rstd) };
        };
    }

    private static Tensor? Drop(Tensor t)
    {
        t.Dispose();
        return null;
    }

    private static Tensor Broadcast(Tensor t, long[] shape, NodeContext c, string what)
    {
        try
        {
            using Tensor view = t.Expand(shape);
            return view.Contiguous();
        }
        catch (ShapeMismatchException e)
        {
            throw new ShapeMismatchException($"{c.Name}: {what} of shape {NodeContext.List(t.Shape)} does not broadcast to the normalised shape {NodeContext.List(shape)} ({e.Message})");
        }
    }

    /// <summary>Softmax/LogSoftmax: along 'axis' (default -1) since opset 13; before, over the input flattened to 2-D at 'axis' (default 1).</summary>
    private static Kernel Softmax(NodeContext c, Func<Tensor, int, Tensor> f)
    {
        c.Arity(1, 1);
        bool legacy = c.Opset < 13;
        long axis = c.Int("axis", legacy ? 1 : -1);
        return ins =>
        {
            Tensor x = ins[0]!;
            int a = c.Axis(axis, x.Dim);
            if (!legacy || x.Dim == 0) return new[] { f(x, x.Dim == 0 ? 0 : a) };
            long[] s = x.Shape;
            long outer = 1;
            for (int i = 0; i < a; ++i) outer = checked(outer * s[i]);
            using Tensor flat = x.Reshape(outer, -1);
            using Tensor y = f(flat, 1);
            return new[] { y.Reshape(s) };
        };
    }

    /// <summary>Dropout for inference: the identity and an all-true mask (training_mode true draws a mask as Wick's dropout does).</summary>
    private static Kernel Dropout(NodeContext c)
    {
        c.Arity(1, c.Opset >= 12 ? 3 : 1, 1, 2);
        double fixedRatio = c.Opset < 12 ? c.Float("ratio", 0.5f) : 0.5;
        long? seed = c.Opset >= 12 ? c.IntOrNull("seed") : null;
        if (c.Opset < 7) throw c.NotSupported("Dropout before opset 7 (is_test) is not implemented");
        return ins =>
        {
            Tensor x = ins[0]!;
            double ratio = ins.Length > 1 && ins[1] is { } r ? Values.Scalar(r, c, "ratio") : fixedRatio;
            bool training = ins.Length > 2 && ins[2] is { } tm && Values.Scalar(tm, c, "training_mode") != 0;
            if (!training || ratio == 0)
                return new[] { GraphRunner.Alias(x), c.HasOutput(1) ? Tensor.Ones(x.Shape, DType.Bool) : null };
            using Generator? generator = seed is { } s ? new Generator(unchecked((ulong)s)) : null;
            var (y, mask) = Functional.DropoutWithMask(x, ratio, training: true, generator);
            if (!c.HasOutput(1)) { mask?.Dispose(); mask = null; }
            return new[] { y, mask };
        };
    }

    /// <summary>
    /// Resize of (N, C, H, W) on its two spatial axes through Wick's interpolation: nearest with coordinate mode asymmetric
    /// and nearest_mode floor (what PyTorch exports), or linear with half_pixel, pytorch_half_pixel or align_corners.
    /// Other modes (cubic, round-to-nearest, tf_crop_and_resize, antialias) are refused by name.
    /// </summary>
    private static Kernel Resize(NodeContext c)
    {
        if (c.Opset < 11) throw c.NotSupported("Resize before opset 11 (Upsample-style scales) is not implemented");
        c.Arity(1, 4);
        string mode = c.String("mode", "nearest");
        string coordinates = c.String("coordinate_transformation_mode", "half_pixel");
        string nearest = c.String("nearest_mode", "round_prefer_floor");
        c.Float("cubic_coeff_a", -0.75f);
        c.Float("extrapolation_value", 0f);
        if (c.Int("exclude_outside", 0) != 0) throw c.NotSupported("exclude_outside 1 (cubic) is not implemented");
        if (c.Opset >= 18)
        {
            if (c.Int("antialias", 0) != 0) throw c.NotSupported("antialias 1 is not implemented");
            if (c.Ints("axes") is not null) throw c.NotSupported("the 'axes' attribute is not implemented (give scales or sizes for all four axes)");
            string policy = c.String("keep_aspect_ratio_policy", "stretch");
            if (policy != "stretch") throw c.NotSupported($"keep_aspect_ratio_policy '{OnnxSource.Text(policy)}' is not implemented (only stretch)");
        }
        InterpolateMode m;
        bool alignCorners = false;
        if (mode == "nearest")
        {
            if (coordinates != "asymmetric" || nearest != "floor")
                throw c.NotSupported($"nearest with coordinate_transformation_mode '{OnnxSource.Text(coordinates)}' and nearest_mode '{OnnxSource.Text(nearest)}' is not implemented (Wick's nearest is asymmetric with floor, as PyTorch exports it)");
            m = InterpolateMode.Nearest;
        }
        else if (mode == "linear")
        {
            if (coordinates is not ("half_pixel" or "pytorch_half_pixel" or "align_corners"))
                throw c.NotSupported($"linear with coordinate_transformation_mode '{OnnxSource.Text(coordinates)}' is not implemented (half_pixel, pytorch_half_pixel and align_corners are)");
            m = InterpolateMode.Bilinear;
            alignCorners = coordinates == "align_corners";
        }
        else throw c.NotSupported($"mode '{OnnxSource.Text(mode)}' is not implemented (nearest and linear are)");
        return ins =>
        {
            Tensor x = ins[0]!;
            if (x.Dim != 4) throw c.NotSupported($"input of shape {NodeContext.List(x.Shape)}: Wick resizes (N, C, H, W) inputs");
            long[] s = x.Shape;
            double[]? scales = null;
            if (ins.Length > 2 && ins[2] is { NumberOfElements: > 0 } sc)
            {
                using Tensor d = sc.To(DType.Float64);
                scales = d.ToArray<double>();
            }
            long[]? sizes = ins.Length > 3 && ins[3] is { } sz ? Values.Longs(sz, c, "sizes") : null;
            if ((scales is null) == (sizes is null)) throw new ArgumentException($"{c.Name}: give exactly one of scales and sizes");
            long outH, outW;
            Tensor y;
            if (scales is not null)
            {
                if (scales.Length != 4 || scales[0] != 1 || scales[1] != 1 || !(scales[2] > 0) || !(scales[3] > 0) || !double.IsFinite(scales[2]) || !double.IsFinite(scales[3]))
                    throw c.NotSupported($"scales [{string.Join(", ", scales)}]: Wick resizes H and W by positive finite factors (N and C by 1)");
                outH = (long)Math.Min(Math.Floor(s[2] * scales[2]), 1L << 60);
                outW = (long)Math.Min(Math.Floor(s[3] * scales[3]), 1L << 60);
                c.CheckElements(new[] { s[0], s[1], outH, outW }, "the resized shape");
                CheckPytorchHalfPixel(outH, outW);
                y = Functional.Interpolate(x, scaleFactor: (scales[2], scales[3]), mode: m, alignCorners: alignCorners);
            }
            else
            {
                if (sizes!.Length != 4 || sizes[0] != s[0] || sizes[1] != s[1])
                    throw c.NotSupported($"sizes {NodeContext.List(sizes)}: Wick resizes H and W of a {NodeContext.List(s)} input (N and C unchanged)");
                outH = sizes[2];
                outW = sizes[3];
                c.CheckElements(sizes, "sizes");
                CheckPytorchHalfPixel(outH, outW);
                y = Functional.Interpolate(x, size: (outH, outW), mode: m, alignCorners: alignCorners);
            }
            return new[] { y };
        };

        // pytorch_half_pixel maps an output of length 1 to coordinate 0, where Wick (like half_pixel) takes the centre.
        void CheckPytorchHalfPixel(long h, long w)
        {
            if (coordinates == "pytorch_half_pixel" && (h == 1 || w == 1))
                throw c.NotSupported("pytorch_half_pixel with an output axis of length 1 is not implemented");
        }
    }

    private static Reduction ReductionOf(NodeContext c)
    {
        string r = c.String("reduction", "mean");
        return r switch
        {
            "mean" => Reduction.Mean,
            "sum" => Reduction.Sum,
            "none" => Reduction.None,
            _ => throw c.Error($"attribute 'reduction' is '{OnnxSource.Text(r)}'; valid: none, sum, mean"),
        };
    }

    private static Kernel NllLoss(NodeContext c)
    {
        c.Arity(2, 3);
        Reduction reduction = ReductionOf(c);
        long ignore = c.Int("ignore_index", long.MinValue);
        return ins => new[] { Functional.NllLoss(ins[0]!, ins[1]!, ins.Length > 2 ? ins[2] : null, ignore, reduction) };
    }

    /// <summary>SoftmaxCrossEntropyLoss: log-softmax over the classes (axis 1), then the negative log-likelihood; output 1 is the log-probabilities.</summary>
    private static Kernel SoftmaxCrossEntropy(NodeContext c)
    {
        c.Arity(2, 3, 1, 2);
        Reduction reduction = ReductionOf(c);
        long ignore = c.Int("ignore_index", long.MinValue);
        return ins =>
        {
            Tensor scores = ins[0]!;
            if (scores.Dim < 2) throw new ShapeMismatchException($"{c.Name}: scores must be (N, C, ...), got shape {NodeContext.List(scores.Shape)}");
            Tensor logp = scores.LogSoftmax(1);
            try
            {
                Tensor loss = Functional.NllLoss(logp, ins[1]!, ins.Length > 2 ? ins[2] : null, ignore, reduction);
                if (c.HasOutput(1)) return new[] { loss, logp };
                logp.Dispose();
                return new[] { loss };
            }
            catch
            {
                logp.Dispose();
                throw;
            }
        };
    }
}
