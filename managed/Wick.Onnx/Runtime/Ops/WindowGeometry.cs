using System;
using System.Linq;
using Wick.Onnx.Loading;

namespace Wick.Onnx.Runtime;

/// <summary>
/// The sliding-window attributes shared by Conv, ConvTranspose, MaxPool and AveragePool (kernel_shape, strides,
/// dilations, pads, auto_pad), read when the node compiles and resolved per run against the input's spatial shape.
/// Pads are ONNX's [x1_begin, x2_begin, ..., x1_end, x2_end]; auto_pad SAME_* pads so that out = ceil(in / stride),
/// the odd extra cell at the end (SAME_UPPER) or the beginning (SAME_LOWER).
/// </summary>
internal sealed class WindowGeometry
{
    /// <summary>Per spatial axis: kernel, stride, dilation, padding before and after.</summary>
    public sealed record Window(long[] Kernel, long[] Strides, long[] Dilations, long[] Begin, long[] End)
    {
        public int Rank => Kernel.Length;
        public bool Symmetric => Begin.SequenceEqual(End);

        /// <summary>The same window on a 2-D (1, L) plane, so 1-D operators run on Wick's 2-D kernels.</summary>
        public Window As2d() => Rank == 2 ? this : new(Pre(Kernel, 1), Pre(Strides, 1), Pre(Dilations, 1), Pre(Begin, 0), Pre(End, 0));

        /// <summary>Wick's pad list (last dimension first) for the padding of a 2-D window.</summary>
        public long[] PadList() => new[] { Begin[1], End[1], Begin[0], End[0] };

        private static long[] Pre(long[] v, long first) => new[] { first }.Concat(v).ToArray();
    }

    private readonly NodeContext _c;
    private readonly long[]? _kernel, _strides, _dilations, _pads;

    public WindowGeometry(NodeContext c, bool hasDilations = true)
    {
        _c = c;
        AutoPad = c.String("auto_pad", "NOTSET");
        if (AutoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw c.Error($"attribute 'auto_pad' is '{OnnxSource.Text(AutoPad)}'; valid: NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        _kernel = c.Ints("kernel_shape");
        _strides = c.Ints("strides");
        _dilations = hasDilations ? c.Ints("dilations") : null;
        _pads = c.Ints("pads");
        if (_pads is not null && AutoPad != "NOTSET" && _pads.Any(p => p != 0))
            throw c.Error($"attributes 'pads' and 'auto_pad' {AutoPad} are both given; ONNX allows explicit pads only with auto_pad NOTSET");
    }

    public string AutoPad { get; }
    public long[]? KernelAttribute => _kernel;

    /// <summary>The window for an input with these spatial sizes (weight's kernel used when kernel_shape is absent).</summary>
    public Window Resolve(long[] spatial, long[]? kernelFromWeight, bool transposed = false)
    {
        int n = spatial.Length;
        long[] kernel = _kernel ?? kernelFromWeight ?? throw _c.Error("attribute 'kernel_shape' is required");
        long[] strides = _strides ?? Enumerable.Repeat(1L, n).ToArray();
        long[] dilations = _dilations ?? Enumerable.Repeat(1L, n).ToArray();
        Check(kernel, "kernel_shape", n, 1);
        Check(strides, "strides", n, 1);
        Check(dilations, "dilations", n, 1);
        if (kernelFromWeight is not null && !kernel.SequenceEqual(kernelFromWeight))
            throw new ShapeMismatchException($"{_c.Name}: kernel_shape {NodeContext.List(kernel)} differs from the weight's spatial shape {NodeContext.List(kernelFromWeight)}");
        var begin = new long[n];
        var end = new long[n];
        if (AutoPad == "NOTSET" && _pads is not null)
        {
            if (_pads.Length != 2 * n)
                throw new ShapeMismatchException($"{_c.Name}: pads {NodeContext.List(_pads)} must have 2 entries per spatial axis ({2 * n} for this rank-{n + 2} input)");
            if (_pads.Any(p => p < 0)) throw new ShapeMismatchException($"{_c.Name}: pads {NodeContext.List(_pads)} has a negative entry");
            Array.Copy(_pads, 0, begin, 0, n);
            Array.Copy(_pads, n, end, 0, n);
        }
        else if (AutoPad.StartsWith("SAME", StringComparison.Ordinal) && !transposed)
        {
            for (int i = 0; i < n; ++i)
            {
                long output = checked(spatial[i] + strides[i] - 1) / strides[i];
                long total = Math.Max(0, checked((output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - spatial[i]));
                begin[i] = AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
            }
        }
        return new Window(kernel, strides, dilations, begin, end);
    }

    private void Check(long[] v, string what, int rank, long min)
    {
        if (v.Length != rank)
            throw new ShapeMismatchException($"{_c.Name}: {what} {NodeContext.List(v)} must have one entry per spatial axis ({rank})");
        if (v.Any(x => x < min)) throw new ShapeMismatchException($"{_c.Name}: {what} {NodeContext.List(v)} must be at least {min}");
    }

    /// <summary>The spatial dimensions Wick's kernels take (1-D runs as 2-D); more is not implemented.</summary>
    public int SpatialRank(Tensor x)
    {
        int n = x.Dim - 2;
        if (n is not (1 or 2))
            throw _c.NotSupported($"input of shape {NodeContext.List(x.Shape)}: Wick implements {_c.OpType} on 1-D and 2-D inputs (N, C, L) and (N, C, H, W)");
        return n;
    }

    /// <summary>(N, C, L) as (N, C, 1, L); a 4-d input as itself (a new view either way).</summary>
    public static Tensor To4d(Tensor x)
    {
        long[] s = x.Shape;
        return s.Length == 4 ? GraphRunner.Alias(x) : x.Reshape(s[0], s[1], 1, s[2]);
    }

    /// <summary>The inverse of <see cref="To4d"/> for a result of a 1-D operator.</summary>
    public static Tensor From4d(Tensor y, int spatialRank)
    {
        if (spatialRank == 2) return y;
        using (y)
        {
            long[] s = y.Shape;
            return y.Reshape(s[0], s[1], s[3]);
        }
    }
}
