using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wick;

/// <summary>
/// The hook through which an exporter (Wick.Onnx) observes the ops a forward pass runs. The choke points in
/// <c>Kernels*.cs</c> and the view methods report each op, with its operands, results and parameters, to the tracer
/// active on the current thread; every native tensor created meanwhile is reported too, so that a tensor made by an op
/// that reports nothing can be recognised instead of being mistaken for a constant.
/// Zero cost when no export runs: <see cref="Current"/> is one read of a static counter, and the reporting calls are
/// written <c>OpTracer.Current?.Op(...)</c>, which evaluates no argument when it is null.
/// </summary>
internal abstract class OpTracer
{
    private static int s_active;

    [ThreadStatic]
    private static OpTracer? t_current;

    /// <summary>The tracer of this thread, or null (always null while no thread traces).</summary>
    public static OpTracer? Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_active == 0 ? null : t_current;
    }

    /// <summary>Makes <paramref name="tracer"/> this thread's tracer until the returned scope is disposed.</summary>
    public static IDisposable Begin(OpTracer tracer)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        if (t_current is not null) throw new InvalidOperationException("A trace is already running on this thread; traces do not nest.");
        t_current = tracer;
        Interlocked.Increment(ref s_active);
        return new Scope();
    }

    /// <summary>
    /// Runs <paramref name="run"/> unobserved and then reports it as the one op <paramref name="op"/>: for a layer the
    /// exporter translates whole (an ONNX LSTM or GRU node) rather than through the many small ops its forward runs.
    /// Without a tracer it only runs <paramref name="run"/>.
    /// </summary>
    public static T Composite<T>(string op, Tensor?[] inputs, Func<T> run, Func<T, Tensor?[]> outputs, params object?[] args)
    {
        OpTracer? tracer = Current;
        if (tracer is null) return run();
        T result;
        t_current = null;
        try
        {
            result = run();
        }
        finally
        {
            t_current = tracer;
        }
        tracer.Op(op, inputs, outputs(result), args);
        return result;
    }

    private sealed class Scope : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            t_current = null;
            Interlocked.Decrement(ref s_active);
        }
    }

    /// <summary>
    /// One op ran: <paramref name="op"/> names it (the choke point, e.g. "Unary", "Conv2d", "View"), <paramref name="inputs"/>
    /// are its tensor operands (null where an optional one is absent), <paramref name="outputs"/> its results (an in-place op
    /// reports the written tensor) and <paramref name="args"/> its other parameters, in the choke point's order.
    /// </summary>
    public abstract void Op(string op, Tensor?[] inputs, Tensor?[] outputs, params object?[] args);

    /// <summary>A managed owner of a new native tensor was created (by any op, reporting or not).</summary>
    public abstract void Created(Tensor t);
}
