using System;
using System.Collections.Generic;
using System.Globalization;

namespace Wick;

/// <summary>A gradient check found analytical and numerical derivatives that disagree; the message says where.</summary>
public sealed class GradCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GradCheckException(string message) : base(message) { }
}

public static partial class Autograd
{
    /// <summary>
    /// Checks the gradients of <paramref name="function"/> at <paramref name="inputs"/>: the Jacobian the backward rules
    /// compute (one backward pass per output element) against central differences (f(x + eps) - f(x - eps)) / 2 eps,
    /// element by element: |analytical - numerical| must not exceed atol + rtol |numerical|. Inputs that require grad
    /// are checked; they must be Float64 and must not overlap in memory (no expanded views). Returns true, or on the
    /// first disagreement throws a <see cref="GradCheckException"/> naming the input, the elements and both values
    /// (returns false instead when <paramref name="raiseException"/> is false). Use it for your own
    /// <see cref="Function"/> subclasses.
    /// </summary>
    public static bool GradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
                                 double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        return GradCheck(xs => new[] { function(xs) }, inputs, eps, atol, rtol, raiseException);
    }

    /// <summary>The gradient check of a function with several outputs (see the single-output overload).</summary>
    public static bool GradCheck(Func<Tensor[], Tensor[]> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
                                 double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        string? failure = GradCheckCore("GradCheck", function, inputs, eps, atol, rtol);
        if (failure is null) return true;
        if (raiseException) throw new GradCheckException(failure);
        return false;
    }

    /// <summary>
    /// Checks second derivatives: the gradient check of x, v ↦ Autograd.Grad(function(x), x, v, createGraph: true),
    /// with respect to both the inputs and the output gradients v (random, seeded, unless
    /// <paramref name="gradOutputs"/> are given). Same tolerances and reports as <see cref="GradCheck(Func{Tensor[], Tensor}, Tensor[], double, double, double, bool)"/>.
    /// </summary>
    public static bool GradGradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor[]? gradOutputs = null,
                                     double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        return GradGradCheck(xs => new[] { function(xs) }, inputs, gradOutputs, eps, atol, rtol, raiseException);
    }

    /// <summary>The second-derivative check of a function with several outputs (see the single-output overload).</summary>
    public static bool GradGradCheck(Func<Tensor[], Tensor[]> function, Tensor[] inputs, Tensor[]? gradOutputs = null,
                                     double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        int n = inputs.Length;
        using var scope = DisposeScope.Begin();
        Tensor[] probe;
        using (NoGrad()) probe = function(inputs);
        if (gradOutputs is null)
        {
            using var gen = new Generator(20261127);
            gradOutputs = new Tensor[probe.Length];
            for (int k = 0; k < probe.Length; ++k)
                gradOutputs[k] = Tensor.RandN(probe[k].ShapeRef, probe[k].DType, probe[k].Device, gen).SetRequiresGrad(probe[k].DType.IsFloatingPoint());
        }
        else if (gradOutputs.Length != probe.Length)
        {
            throw new ArgumentException($"GradGradCheck: {gradOutputs.Length} gradOutputs for {probe.Length} outputs", nameof(gradOutputs));
        }

        Tensor[] FirstDerivatives(Tensor[] all)
        {
            var xs = all[..n];
            var vs = all[n..];
            Tensor[] ys = function(xs);
            var outs = new List<Tensor>();
            var grads = new List<Tensor?>();
            for (int k = 0; k < ys.Length; ++k)
            {
                if (!ys[k].RequiresGrad) continue;
                outs.Add(ys[k]);
                grads.Add(vs[k]);
            }
            var wrt = new List<int>();
            for (int i = 0; i < n; ++i)
                if (xs[i].RequiresGrad) wrt.Add(i);
            var result = new Tensor[wrt.Count];
            Tensor?[] g = outs.Count == 0
                ? new Tensor?[wrt.Count]
                : Grad(outs.ToArray(), wrt.ConvertAll(i => xs[i]).ToArray(), grads.ToArray(), createGraph: true, allowUnused: true);
            for (int j = 0; j < wrt.Count; ++j) result[j] = g[j] ?? xs[wrt[j]].ZerosLike();
            return result;
        }

        var combined = new Tensor[n + gradOutputs.Length];
        inputs.CopyTo(combined, 0);
        gradOutputs.CopyTo(combined, n);
        string? failure = GradCheckCore("GradGradCheck", FirstDerivatives, combined, eps, atol, rtol);
        if (failure is null) return true;
        if (raiseException) throw new GradCheckException(failure);
        return false;
    }

    /// <summary>Null when the analytical and numerical Jacobians agree, else the report of the first disagreement.</summary>
    private static string? GradCheckCore(string what, Func<Tensor[], Tensor[]> function, Tensor[] inputs, double eps, double atol, double rtol)
    {
        var checkedInputs = new List<int>();
        for (int i = 0; i < inputs.Length; ++i)
        {
            Tensor x = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"{what}: input {i} is null");
            if (!x.RequiresGrad) continue;
            if (x.DType != DType.Float64)
                throw new DTypeException($"{what}: input {i} is {x.DType}; gradient checks need Float64 inputs (central differences in lower precision are too coarse). Convert it with To(DType.Float64).");
            long[] shape = x.ShapeRef, strides = x.Strides;
            for (int d = 0; d < shape.Length; ++d)
                if (shape[d] > 1 && strides[d] == 0)
                    throw new ArgumentException($"{what}: input {i} overlaps itself in memory (an expanded view, stride 0 in dimension {d}); perturbing one element would change several. Pass a Clone() of it.");
            checkedInputs.Add(i);
        }
        if (checkedInputs.Count == 0)
            throw new ArgumentException($"{what}: no input requires grad, so there is nothing to check; set RequiresGrad = true on the inputs to check.");
        Tensor[] wrt = checkedInputs.ConvertAll(i => inputs[i]).ToArray();

        using var scope = DisposeScope.Begin();
        // Analytical Jacobians, row by row: jac[o][c][k * numel(input) + j] = d output_o[k] / d input_c[j].
        Tensor[] outs = function(inputs);
        var jac = new double[outs.Length][][];
        for (int o = 0; o < outs.Length; ++o)
        {
            Tensor y = outs[o] ?? throw new InvalidOperationException($"{what}: the function returned null for output {o}");
            long ny = y.NumberOfElements;
            jac[o] = new double[wrt.Length][];
            for (int c = 0; c < wrt.Length; ++c) jac[o][c] = new double[ny * wrt[c].NumberOfElements];
            if (!y.DType.IsFloatingPoint() || !y.RequiresGrad) continue;  // constant in the inputs: analytical zeros
            var unit = new double[ny];
            for (long k = 0; k < ny; ++k)
            {
                unit[k] = 1;
                using Tensor v64 = Tensor.FromSpan<double>(unit, y.ShapeRef);
                using Tensor v = v64.To(y.DType);
                unit[k] = 0;
                Tensor?[] g = Grad(new[] { y }, wrt, new[] { v }, retainGraph: true, allowUnused: true);
                for (int c = 0; c < wrt.Length; ++c)
                {
                    if (g[c] is not { } gc) continue;
                    if (!Broadcast.SameShape(gc.ShapeRef, wrt[c].ShapeRef))
                        return $"{what}: the gradient for input {checkedInputs[c]} has shape [{string.Join(", ", gc.ShapeRef)}] but the input has shape [{string.Join(", ", wrt[c].ShapeRef)}]";
                    double[] row = ReadDoubles(gc);
                    Array.Copy(row, 0, jac[o][c], k * row.Length, row.Length);
                    gc.Dispose();
                }
            }
        }

        // Numerical Jacobians, column by column, perturbing each input element in place.
        for (int c = 0; c < wrt.Length; ++c)
        {
            Tensor x = wrt[c];
            long nx = x.NumberOfElements;
            long[] shape = x.ShapeRef, strides = x.Strides;
            long offset0 = x.StorageOffset;
            for (long j = 0; j < nx; ++j)
            {
                long[] index = Unravel(j, shape);
                long offset = offset0;
                for (int d = 0; d < shape.Length; ++d) offset += index[d] * strides[d];
                double[][] plus, minus;
                // The function runs in the caller's grad mode (GradGradCheck differentiates inside it); only the
                // perturbations are unrecorded writes into the input's memory.
                Tensor element;
                using (NoGrad()) element = x.AsStrided(Array.Empty<long>(), Array.Empty<long>(), offset);
                try
                {
                    double original = element.Item<double>();
                    using (NoGrad()) element.Fill(original + eps);
                    plus = Evaluate(function, inputs);
                    using (NoGrad()) element.Fill(original - eps);
                    minus = Evaluate(function, inputs);
                    using (NoGrad()) element.Fill(original);
                }
                finally
                {
                    element.Dispose();
                }
                for (int o = 0; o < outs.Length; ++o)
                {
                    double[] row = jac[o][c];
                    for (long k = 0; k < plus[o].Length; ++k)
                    {
                        double numerical = (plus[o][k] - minus[o][k]) / (2 * eps);
                        double analytical = row[k * nx + j];
                        double tolerance = atol + rtol * Math.Abs(numerical);
                        if (Math.Abs(analytical - numerical) <= tolerance) continue;
                        string outIndex = string.Join(", ", Unravel(k, outs[o].ShapeRef));
                        return string.Create(CultureInfo.InvariantCulture,
                            $"{what}: the Jacobian of output {o} with respect to input {checkedInputs[c]} is wrong at input element " +
                            $"[{string.Join(", ", index)}] (flat {j}) and output element [{outIndex}] (flat {k}): analytical {analytical:G10}, " +
                            $"numerical {numerical:G10}; allowed difference atol {atol} + rtol {rtol} × |numerical| = {tolerance:G6}. " +
                            $"Analytical is what the backward pass computed; numerical is the central difference with eps {eps}.");
                    }
                }
            }
        }
        return null;
    }

    private static double[][] Evaluate(Func<Tensor[], Tensor[]> function, Tensor[] inputs)
    {
        using var scope = DisposeScope.Begin();
        Tensor[] outs = function(inputs);
        var r = new double[outs.Length][];
        for (int o = 0; o < outs.Length; ++o) r[o] = outs[o].DType.IsFloatingPoint() ? ReadDoubles(outs[o]) : new double[outs[o].NumberOfElements];
        return r;
    }

    private static double[] ReadDoubles(Tensor t)
    {
        if (t.DType == DType.Float64) return t.ToArray<double>();
        using Tensor d = t.To(DType.Float64);
        return d.ToArray<double>();
    }

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; --d)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
