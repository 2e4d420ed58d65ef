using System;
using System.Collections.Generic;
using Wick.Interop;
using Wick.Native;

namespace Wick.Data;

/// <summary>
/// Batch assembly: gathers rows of a tensor, or stacks samples, into a new tensor. Contiguous CPU tensors
/// are copied with one memory copy per row; anything else goes through views and Tensor.CopyFrom.
/// This is the data family's choke point to the native core.
/// </summary>
internal static unsafe class Rows
{
    private static byte* DataPointer(Tensor t)
    {
        void* p;
        Ensure.Ok(NativeMethods.wk_tensor_data_ptr(t.Handle, &p));
        return (byte*)p;
    }

    private static bool Direct(Tensor t) => t.Device.Type == DeviceType.Cpu && t.IsContiguous;

    /// <summary>src[rows[0]], src[rows[1]], ... as a new tensor of shape [rows.Length, src.Shape[1..]].</summary>
    public static Tensor Gather(Tensor src, ReadOnlySpan<long> rows, string who)
    {
        long[] shape = src.Shape;
        if (shape.Length == 0) throw new ArgumentException($"{who}: cannot take rows of a 0-d tensor");
        long n = shape[0];
        foreach (long r in rows)
            if ((ulong)r >= (ulong)n) throw new ArgumentOutOfRangeException(nameof(rows), r, $"{who}: row {r} is out of range for a tensor with {n} rows");
        shape[0] = rows.Length;
        Tensor result = Tensor.Empty(shape, src.DType, src.Device);
        try
        {
            if (rows.Length == 0) return result;
            if (Direct(src))
            {
                long rowBytes = src.NumberOfElements / n * src.DType.ElementSize();
                byte* s = DataPointer(src);
                byte* d = DataPointer(result);
                for (int i = 0; i < rows.Length; ++i)
                    Buffer.MemoryCopy(s + rows[i] * rowBytes, d + i * rowBytes, rowBytes, rowBytes);
                GC.KeepAlive(src);
                GC.KeepAlive(result);
            }
            else
            {
                for (int i = 0; i < rows.Length; ++i)
                {
                    using Tensor from = src.Select(0, rows[i]);
                    using Tensor to = result.Select(0, i);
                    to.CopyFrom(from);
                }
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The samples stacked along a new first dimension; they must share shape, dtype and device.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> items, string who)
    {
        if (items.Count == 0) throw new ArgumentException($"{who}: cannot stack an empty list of samples");
        Tensor first = items[0];
        long[] itemShape = first.Shape;
        for (int i = 1; i < items.Count; ++i)
        {
            Tensor t = items[i];
            if (t.DType != first.DType || t.Device != first.Device || !SameShape(t.Shape, itemShape))
                throw new ArgumentException(
                    $"{who}: sample {i} holds a {t.DType} tensor of shape [{string.Join(", ", t.Shape)}] on {t.Device}, but sample 0 holds " +
                    $"{first.DType} [{string.Join(", ", itemShape)}] on {first.Device}; the default collate stacks samples of one shape " +
                    "(pad them, or pass a custom collate)");
        }
        var shape = new long[itemShape.Length + 1];
        shape[0] = items.Count;
        itemShape.CopyTo(shape, 1);
        Tensor result = Tensor.Empty(shape, first.DType, first.Device);
        try
        {
            long itemBytes = first.NumberOfElements * first.DType.ElementSize();
            bool direct = Direct(result);
            byte* d = direct ? DataPointer(result) : null;
            for (int i = 0; i < items.Count; ++i)
            {
                Tensor t = items[i];
                if (direct && Direct(t))
                {
                    Buffer.MemoryCopy(DataPointer(t), d + i * itemBytes, itemBytes, itemBytes);
                    GC.KeepAlive(t);
                }
                else
                {
                    using Tensor to = result.Select(0, i);
                    to.CopyFrom(t);
                }
            }
            GC.KeepAlive(result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static bool SameShape(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);
}
