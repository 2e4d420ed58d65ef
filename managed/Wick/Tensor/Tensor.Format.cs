using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Wick;

// A PyTorch-like text form: tensor([[1., 2.], [3., 4.]]), summarised with "..." past 1000 elements.
public sealed partial class Tensor
{
    private const int SummaryThreshold = 1000;
    private const int EdgeItems = 3;

    /// <summary>The values in PyTorch's layout, then the dtype and device when they are not the defaults, and the autograd state.</summary>
    public override string ToString()
    {
        if (IsDisposed) return "tensor(<disposed>)";
        long[] shape = Shape;
        string[] cells;
        bool summarize;
        using (GradMode.Scope(false)) cells = FormatCells(out summarize, shape);  // reading values records nothing
        var sb = new StringBuilder("tensor(");
        if (shape.Length == 0)
        {
            sb.Append(cells[0]);
        }
        else if (shape.Contains(0))
        {
            sb.Append("[]");
        }
        else
        {
            int width = cells.Max(c => c.Length);
            int index = 0;
            AppendDim(sb, shape, 0, cells, ref index, width, summarize, indent: 7);
        }
        if (shape.Contains(0)) sb.Append(", size=(").Append(string.Join(", ", shape)).Append(shape.Length == 1 ? ",)" : ")");
        if (DType is not (DType.Float32 or DType.Int64 or DType.Bool)) sb.Append(", dtype=").Append(DType);
        if (Device.Type != DeviceType.Cpu) sb.Append(", device=").Append(Device);
        if (_gradFn is not null) sb.Append(", gradFn=<").Append(_gradFn.Name).Append('>');
        else if (_requiresGrad) sb.Append(", requiresGrad=True");
        return sb.Append(')').ToString();
    }

    // The formatted values in row-major order of the shown elements (edges only when summarising).
    private string[] FormatCells(out bool summarize, long[] shape)
    {
        summarize = NumberOfElements > SummaryThreshold;
        using Tensor shown = summarize ? SummaryView(shape) : Cpu();
        if (DType == DType.Bool) return shown.Contiguous().ToArray<bool>().Select(b => b ? "True" : "False").ToArray();
        if (!DType.IsFloatingPoint())
        {
            using Tensor asLong = shown.To(DType.Int64);
            return asLong.ToArray<long>().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        using Tensor asDouble = shown.To(DType.Float64);
        return FormatFloats(asDouble.ToArray<double>());
    }

    // The first and last EdgeItems of every dimension, concatenated (a copy, so the caller may index it densely).
    private Tensor SummaryView(long[] shape)
    {
        Tensor current = Cpu();
        for (int d = 0; d < shape.Length; ++d)
        {
            if (shape[d] <= 2 * EdgeItems) continue;
            using Tensor head = current.Slice(d, 0, EdgeItems);
            using Tensor tail = current.Slice(d, shape[d] - EdgeItems, shape[d]);
            var joinedShape = (long[])current.Shape.Clone();
            joinedShape[d] = 2 * EdgeItems;
            Tensor joined = Empty(joinedShape, DType);
            using (Tensor a = joined.Slice(d, 0, EdgeItems)) a.CopyFrom(head);
            using (Tensor b = joined.Slice(d, EdgeItems, 2 * EdgeItems)) b.CopyFrom(tail);
            current.Dispose();
            current = joined;
        }
        return current;
    }

    private static string[] FormatFloats(double[] values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        bool allWhole = finite.All(v => Math.Floor(v) == v);
        double maxAbs = finite.Length > 0 ? finite.Max(Math.Abs) : 0;
        double minAbs = finite.Where(v => v != 0).Select(Math.Abs).DefaultIfEmpty(1).Min();
        bool scientific = maxAbs >= 1e8 || (maxAbs > 0 && minAbs < 1e-4) || (maxAbs / minAbs > 1000 && !allWhole);
        return values.Select(v =>
        {
            if (double.IsNaN(v)) return "nan";
            if (double.IsPositiveInfinity(v)) return "inf";
            if (double.IsNegativeInfinity(v)) return "-inf";
            if (scientific) return v.ToString("0.0000e+00", CultureInfo.InvariantCulture);
            if (allWhole) return v.ToString("0", CultureInfo.InvariantCulture) + ".";
            return v.ToString("0.0000", CultureInfo.InvariantCulture);
        }).ToArray();
    }

    private static void AppendDim(StringBuilder sb, long[] shape, int dim, string[] cells, ref int index, int width, bool summarize, int indent)
    {
        sb.Append('[');
        long n = shape[dim];
        bool cut = summarize && n > 2 * EdgeItems;
        long shown = cut ? 2 * EdgeItems : n;
        for (long i = 0; i < shown; ++i)
        {
            if (i > 0)
            {
                if (dim == shape.Length - 1) sb.Append(", ");
                else sb.Append(',').Append('\n', shape.Length - 1 - dim).Append(' ', indent + dim + 1);
            }
            if (cut && i == EdgeItems)
            {
                sb.Append("...");
                if (dim == shape.Length - 1) sb.Append(", ");
                else sb.Append(',').Append('\n', shape.Length - 1 - dim).Append(' ', indent + dim + 1);
            }
            if (dim == shape.Length - 1) sb.Append(cells[index++].PadLeft(width));
            else AppendDim(sb, shape, dim + 1, cells, ref index, width, summarize, indent);
        }
        sb.Append(']');
    }
}
