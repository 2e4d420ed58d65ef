using System;

namespace Wick;

/// <summary>
/// Reverse-mode automatic differentiation: grad-mode scopes, the functional <see cref="Grad(Tensor[], Tensor[], Tensor?[], bool?, bool, bool)"/>,
/// anomaly detection and gradient checks. The graph lives in managed code; see <see cref="Tensor.Backward"/>.
/// </summary>
public static partial class Autograd
{
    /// <summary>Whether operations record their history on this logical flow (true unless inside <see cref="NoGrad"/>).</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Stops recording until the returned scope is disposed (inference, optimizer steps). Scopes nest, follow
    /// <c>await</c> and tasks started inside them, and never affect other threads.
    /// <code>using (Autograd.NoGrad()) { w.SubInPlace(w.Grad! * lr); }</code>
    /// </summary>
    public static IDisposable NoGrad() => GradMode.Scope(false);

    /// <summary>Records again until the returned scope is disposed, even inside <see cref="NoGrad"/>.</summary>
    public static IDisposable EnableGrad() => GradMode.Scope(true);

    /// <summary>Sets recording on or off until the returned scope is disposed.</summary>
    public static IDisposable SetGradEnabled(bool enabled) => GradMode.Scope(enabled);

    /// <summary>Whether anomaly detection is on for this logical flow.</summary>
    public static bool IsAnomalyEnabled => AnomalyMode.IsEnabled;

    /// <summary>
    /// Anomaly detection until the returned scope is disposed: every forward op records where it was called, and a
    /// backward function that produces NaN or infinity raises an error naming it and that place. Slow; for debugging.
    /// </summary>
    public static IDisposable DetectAnomaly(bool enabled = true) => AnomalyMode.Scope(enabled);

    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, returned instead of
    /// accumulated into <see cref="Tensor.Grad"/>. <paramref name="gradOutputs"/> gives d(loss)/d(output) per output
    /// (null entries mean 1 for one-element outputs). <paramref name="retainGraph"/> defaults to
    /// <paramref name="createGraph"/>, which records the computation so the results can be differentiated again.
    /// An input that no gradient reaches gives an error unless <paramref name="allowUnused"/> (then null).
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null, bool? retainGraph = null,
                                 bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new ArgumentException($"Autograd.Grad: {gradOutputs.Length} gradOutputs for {outputs.Length} outputs; give one per output (null for 1)", nameof(gradOutputs));
        var captures = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; ++i)
        {
            Tensor x = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"Autograd.Grad: input {i} is null");
            if (!x.RequiresGrad)
            {
                if (!x.DType.IsFloatingPoint())
                    throw new DTypeException($"Autograd.Grad: input {i} is a {x.DType} tensor; only floating-point tensors have gradients.");
                throw new InvalidOperationException($"Autograd.Grad: input {i} does not require grad; set RequiresGrad = true on it before computing the outputs.");
            }
            captures[i] = x.GradientEdge();
        }
        var (roots, grads) = Roots("Autograd.Grad", outputs, gradOutputs ?? new Tensor?[outputs.Length]);
        Tensor?[] result = Engine.Run(roots, grads, retainGraph ?? createGraph, createGraph, captures)!;
        for (int i = 0; i < result.Length; ++i)
        {
            if (result[i] is null && !allowUnused)
            {
                foreach (Tensor? r in result) r?.Dispose();
                throw new InvalidOperationException(
                    $"Autograd.Grad: input {i} appears not to have been used in the graph (no gradient reached it). " +
                    "Pass allowUnused: true if this is the desired behavior (its gradient is then null).");
            }
        }
        DisposeScope? scope = DisposeScope.Current;
        foreach (Tensor? r in result)
            if (r is not null) scope?.Register(r);
        return result;
    }

    /// <summary>The gradient of one output with respect to one input (see the array overload).</summary>
    public static Tensor? Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null,
                               bool createGraph = false, bool allowUnused = false) =>
        Grad(new[] { output }, new[] { input }, new[] { gradOutput }, retainGraph, createGraph, allowUnused)[0];

    /// <summary>Checks the outputs and builds the engine's roots and their seed gradients (engine-owned references).</summary>
    internal static (Edge[] Roots, Tensor?[] Grads) Roots(string op, Tensor[] outputs, Tensor?[] gradOutputs)
    {
        var roots = new Edge[outputs.Length];
        var grads = new Tensor?[outputs.Length];
        try
        {
            for (int i = 0; i < outputs.Length; ++i)
            {
                Tensor y = outputs[i] ?? throw new ArgumentNullException(nameof(outputs), $"{op}: output {i} is null");
                if (!y.RequiresGrad && !y.DType.IsFloatingPoint())
                    throw new DTypeException(
                        $"{op}: {(outputs.Length == 1 ? "the tensor" : $"output {i}")} is a {y.DType} tensor; integer and bool results carry no gradient " +
                        "(the operation that produced it is not differentiable). Differentiate a floating-point result instead.");
                if (!y.RequiresGrad)
                    throw new InvalidOperationException(
                        $"{op}: {(outputs.Length == 1 ? "the tensor" : $"output {i}")} does not require grad and has no GradFn, so there is nothing to differentiate. " +
                        "Set RequiresGrad = true on the leaf tensors (parameters) before computing it, and do not compute it inside Autograd.NoGrad().");
                roots[i] = y.GradientEdge();
                if (gradOutputs[i] is { } g)
                {
                    if (!Broadcast.SameShape(g.ShapeRef, y.ShapeRef))
                        throw new ShapeMismatchException(
                            $"{op}: the gradient for output {i} has shape [{string.Join(", ", g.ShapeRef)}] but the output has shape [{string.Join(", ", y.ShapeRef)}]");
                    if (g.DType != y.DType)
                    {
                        if (!g.DType.IsFloatingPoint())
                            throw new DTypeException($"{op}: the gradient for output {i} is {g.DType}; it must be a floating-point tensor like the output ({y.DType})");
                        Tensor converted = g.To(y.DType);
                        DisposeScope.Current?.TryRemove(converted);
                        grads[i] = ReferenceEquals(converted, g) ? g.AliasWithHistory() : converted;
                    }
                    else
                    {
                        grads[i] = g.AliasWithHistory();
                    }
                }
                else
                {
                    if (y.NumberOfElements != 1)
                        throw new InvalidOperationException(
                            $"{op}: a gradient can be created implicitly only for a one-element output, but {(outputs.Length == 1 ? "the tensor" : $"output {i}")} has shape [{string.Join(", ", y.ShapeRef)}]. " +
                            "Pass the gradient explicitly (a tensor of that shape, often OnesLike()), or reduce the output first with Sum() or Mean().");
                    Tensor ones = Tensor.Ones(y.ShapeRef, y.DType, y.Device);
                    DisposeScope.Current?.TryRemove(ones);
                    grads[i] = ones;
                }
            }
            return (roots, grads);
        }
        catch
        {
            foreach (Tensor? g in grads) g?.Dispose();
            throw;
        }
    }
}
