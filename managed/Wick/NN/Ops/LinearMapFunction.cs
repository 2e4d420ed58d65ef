using System;
using System.Collections.Generic;

namespace Wick.NN;

/// <summary>
/// A linear map A of one tensor, given together with its adjoint Aᵀ (the gradient of a linear map is its adjoint, and
/// the adjoint's adjoint is A again). The layers use it for the gradients that are linear in the output gradient
/// (pooling, NLL, embedding): under createGraph the gradient is recorded as another LinearMapFunction (Aᵀ with adjoint
/// A), so derivatives of every order exist while each step still runs the fused native kernel.
/// </summary>
/// <remarks>
/// Constants the maps read (indices, targets, a tensor whose shape the result takes) are saved with the node, so they
/// outlive the node that created this one and are checked against in-place changes.
/// </remarks>
internal sealed class LinearMapFunction : NNFunction
{
    /// <summary>Applies a linear map to <paramref name="x"/>, reading the node's <paramref name="constants"/>.</summary>
    public delegate Tensor Map(Tensor x, IReadOnlyList<Tensor> constants);

    private readonly string _name, _adjointName;
    private readonly Map _map, _adjoint;
    private Tensor[]? _constants;

    /// <summary>The map <paramref name="map"/> named <paramref name="name"/>, with <paramref name="adjoint"/> named <paramref name="adjointName"/>.</summary>
    public LinearMapFunction(string name, Map map, string adjointName, Map adjoint, params Tensor[] constants)
    {
        _name = name;
        _map = map;
        _adjointName = adjointName;
        _adjoint = adjoint;
        _constants = constants;
    }

    public override string Name => _name;

    protected override bool GradientIsDifferentiable => true;

    protected override Tensor[] Forward(Tensor[] x)
    {
        Tensor[] c = _constants ?? Array.Empty<Tensor>();
        _constants = null;  // the node keeps its own references through SaveForBackward
        if (c.Length > 0) SaveForBackward(c);
        return new[] { _map(x[0], c) };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        var c = SavedTensors;
        if (!GradMode.IsEnabled) return new Tensor?[] { _adjoint(g[0], c) };
        var constants = new Tensor[c.Count];
        for (int i = 0; i < constants.Length; ++i) constants[i] = c[i];
        return new Tensor?[] { new LinearMapFunction(_adjointName, _adjoint, _name, _map, constants).Run(g[0]) };
    }

    /// <summary>
    /// The gradient Aᵀ(<paramref name="g"/>) of a function whose input gradient is the linear map <paramref name="adjoint"/> of its
    /// output gradient, recorded (under createGraph) as a node whose own gradient is <paramref name="map"/>.
    /// </summary>
    public static Tensor ApplyAdjoint(string forwardName, Map map, Map adjoint, Tensor g, params Tensor[] constants) =>
        new LinearMapFunction(forwardName + "Backward", adjoint, forwardName, map, constants).Run(g);
}
