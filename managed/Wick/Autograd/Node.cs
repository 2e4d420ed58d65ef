using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Wick;

/// <summary>
/// One recorded operation of the autograd graph: it turns the gradients of the operation's outputs
/// into gradients of its inputs, and points at the nodes that produced those inputs. A tensor computed
/// from tensors that require grad holds the node that created it in <see cref="Tensor.GradFn"/>.
/// </summary>
public abstract class Node
{
    private static long s_sequence;

    /// <summary>Where each input's gradient goes: the node that produced the input and which of its outputs it was.</summary>
    internal Edge[] Next = Array.Empty<Edge>();

    /// <summary>Creation order; the engine runs later nodes first, which makes the order deterministic.</summary>
    internal readonly long SequenceNr;

    /// <summary>The stack of the forward call, recorded only under <see cref="Autograd.DetectAnomaly"/>.</summary>
    internal readonly string? CreationTrace;

    /// <summary>Hooks registered on the non-leaf tensors this node produced, in registration order.</summary>
    internal List<TensorHook>? Hooks;

    /// <summary>Non-leaf outputs whose gradient is kept (<see cref="Tensor.RetainGrad"/>), by output slot.</summary>
    internal List<(int Slot, AutogradMeta Meta)>? RetainedGrads;

    private protected Node()
    {
        SequenceNr = Interlocked.Increment(ref s_sequence);
        if (AnomalyMode.IsEnabled) CreationTrace = new StackTrace(2, fNeedFileInfo: true).ToString();
    }

    /// <summary>The readable name of the backward function, as PyTorch prints it: "MulBackward", "SumBackward", "AccumulateGrad".</summary>
    public abstract string Name { get; }

    /// <summary>The forward operation this node differentiates ("Mul" for "MulBackward").</summary>
    public string ForwardName => Name.EndsWith("Backward", StringComparison.Ordinal) ? Name[..^"Backward".Length] : Name;

    /// <summary>The nodes that receive this node's input gradients (null where an input does not require grad).</summary>
    public IReadOnlyList<Node?> NextFunctions
    {
        get
        {
            var r = new Node?[Next.Length];
            for (int i = 0; i < r.Length; ++i) r[i] = Next[i].Node;
            return r;
        }
    }

    /// <summary>The node's name.</summary>
    public override string ToString() => Name;

    /// <summary>Number of outputs of the forward operation, that is of gradients this node receives.</summary>
    internal virtual int OutputCount => 1;

    /// <summary>
    /// True when the gradients returned by <see cref="Apply"/> may share memory with tensors other than the incoming
    /// gradients (user code): the engine then never lets a leaf adopt them as its Grad without a copy.
    /// </summary>
    internal virtual bool MayReturnForeignTensors => false;

    /// <summary>
    /// Gradients of the inputs (one per <see cref="Next"/> edge, null for none) from the gradients of the outputs
    /// (one per output; the engine passes at least one non-null). Written with ordinary tensor operations, so with
    /// grad mode on (create_graph) it records a graph of its own and higher-order gradients follow.
    /// </summary>
    internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    /// <summary>Frees the saved tensors (after a backward pass that does not retain the graph).</summary>
    internal virtual void ReleaseSaved() { }

    /// <summary>True when input <paramref name="i"/> needs a gradient.</summary>
    internal bool NeedsGrad(int i) => Next[i].Node is not null;

    internal void AddHook(TensorHook hook)
    {
        lock (this) (Hooks ??= new List<TensorHook>()).Add(hook);
    }

    internal void RemoveHook(TensorHook hook)
    {
        lock (this) Hooks?.Remove(hook);
    }
}

/// <summary>Where a gradient goes: a node and the index of the forward output it belongs to.</summary>
internal readonly struct Edge
{
    public readonly Node? Node;
    public readonly int InputNr;

    public Edge(Node? node, int inputNr)
    {
        Node = node;
        InputNr = inputNr;
    }

    public bool IsValid => Node is not null;
}
