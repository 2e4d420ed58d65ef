using System;
using System.Collections.Generic;
using Wick.Native;

namespace Wick;

/// <summary>
/// Runs a backward pass over the recorded graph. No recursion anywhere: the graph is discovered with an explicit
/// stack, dependencies are counted so every node runs once with the sum of its incoming gradients, and ready nodes
/// run latest-created first (a priority queue on the creation number), which makes the order deterministic.
/// <para>
/// Memory: the engine owns every gradient tensor it holds (each through its own native reference). Rules run inside
/// one engine <see cref="DisposeScope"/>: the gradients a rule returns are taken out of it, and every other tensor
/// the rule made is freed as soon as the node finishes. Incoming gradients are freed once used, saved tensors right
/// after their node ran unless the graph is retained. Hooks are user code and run in the user's scope.
/// </para>
/// </summary>
internal static class Engine
{
    private sealed class NodeTask
    {
        public int Dependencies;
        public Tensor?[]? Grads;      // one slot per output of the forward op
        public bool[]? Exclusive;     // the slot's tensor shares memory with nothing else
        public bool Execute = true;   // the node runs (false: it only receives a gradient to capture, or is pruned)
        public bool Relevant = true;  // the node receives gradients at all
    }

    /// <summary>
    /// Backward from <paramref name="roots"/> seeded with <paramref name="rootGrads"/> (engine-owned, consumed). With
    /// <paramref name="captures"/> null, gradients accumulate into the leaves' Grad; otherwise nothing accumulates and
    /// the gradients arriving at each capture edge are returned (engine-owned references; null when none arrived).
    /// </summary>
    public static Tensor?[]? Run(Edge[] roots, Tensor?[] rootGrads, bool keepGraph, bool createGraph, Edge[]? captures)
    {
        var tasks = new Dictionary<Node, NodeTask>(ReferenceEqualityComparer.Instance);
        Tensor?[]? captured = captures is null ? null : new Tensor?[captures.Length];
        IDisposable mode = GradMode.Scope(createGraph);
        IDisposable amp = Autocast.Suspend();  // backward rules run in the dtypes of the forward pass, as in PyTorch
        DisposeScope scope = DisposeScope.Begin();
        bool ok = false;
        try
        {
            Discover(roots, captures, tasks);
            var ready = new PriorityQueue<Node, long>();
            for (int i = 0; i < roots.Length; ++i)
            {
                Tensor g = rootGrads[i]!;
                rootGrads[i] = null;
                NodeTask t = tasks[roots[i].Node!];
                if (!t.Relevant) { g.Dispose(); continue; }
                AddGrad(roots[i].Node!, t, roots[i].InputNr, g, exclusive: false);
            }
            for (int i = 0; i < roots.Length; ++i)
            {
                Node n = roots[i].Node!;
                NodeTask t = tasks[n];
                if (t.Relevant && t.Dependencies == 0 && !IsQueued(ready, n)) ready.Enqueue(n, Priority(n));
            }

            while (ready.TryDequeue(out Node? node, out _))
            {
                NodeTask task = tasks[node];
                Tensor?[] grads = task.Grads ?? new Tensor?[node.OutputCount];
                bool[] exclusive = task.Exclusive ?? new bool[grads.Length];
                task.Grads = null;
                task.Exclusive = null;
                try
                {
                    RunHooks(node, grads, exclusive, scope);
                    if (captures is not null) Capture(node, grads, captures, captured!);
                    if (node is AccumulateGrad acc)
                    {
                        if (captures is null && grads[0] is { } g)
                        {
                            grads[0] = null;
                            acc.Accumulate(g, exclusive[0], createGraph);
                        }
                        continue;
                    }
                    if (!task.Execute) continue;
                    Tensor?[] outs = AnyNonNull(grads) ? node.Apply(grads) : new Tensor?[node.Next.Length];
                    if (outs.Length != node.Next.Length)
                        throw new WickInternalException($"{node.Name} returned {outs.Length} gradients for {node.Next.Length} inputs");
                    if (!keepGraph) node.ReleaseSaved();
                    if (AnomalyMode.IsEnabled) CheckFinite(node, outs);
                    Deliver(node, outs, grads, tasks, ready, scope);
                }
                finally
                {
                    foreach (Tensor? g in grads) g?.Dispose();
                    scope.DisposeTracked();
                }
            }
            ok = true;
            return captured;
        }
        finally
        {
            foreach (NodeTask t in tasks.Values)
                if (t.Grads is not null)
                    foreach (Tensor? g in t.Grads) g?.Dispose();
            foreach (Tensor? g in rootGrads) g?.Dispose();
            if (!ok && captured is not null)
                foreach (Tensor? g in captured) g?.Dispose();
            scope.Dispose();
            amp.Dispose();
            mode.Dispose();
        }
    }

    /// <summary>Takes a tensor made during the backward pass out of the engine's scope: the caller owns it now.</summary>
    internal static Tensor Adopt(Tensor t)
    {
        DisposeScope.Current?.TryRemove(t);
        return t;
    }

    private static long Priority(Node n) => n is AccumulateGrad ? long.MinValue : -n.SequenceNr;

    private static bool IsQueued(PriorityQueue<Node, long> ready, Node n)
    {
        foreach (var (element, _) in ready.UnorderedItems)
            if (ReferenceEquals(element, n)) return true;
        return false;
    }

    /// <summary>
    /// Finds every node reachable from the roots (iterative depth-first search, post-order), decides which nodes run
    /// (all of them for Backward; for Autograd.Grad only those that lead to a captured input) and counts, for each
    /// node, the edges that will deliver to it.
    /// </summary>
    private static void Discover(Edge[] roots, Edge[]? captures, Dictionary<Node, NodeTask> tasks)
    {
        var post = new List<Node>();
        var stack = new List<(Node Node, int Next)>();
        foreach (Edge root in roots)
        {
            if (root.Node is not { } r || tasks.ContainsKey(r)) continue;
            tasks.Add(r, new NodeTask());
            stack.Add((r, 0));
            while (stack.Count > 0)
            {
                int top = stack.Count - 1;
                var (n, i) = stack[top];
                if (i < n.Next.Length)
                {
                    stack[top] = (n, i + 1);
                    if (n.Next[i].Node is { } m && !tasks.ContainsKey(m))
                    {
                        tasks.Add(m, new NodeTask());
                        stack.Add((m, 0));
                    }
                }
                else
                {
                    post.Add(n);
                    stack.RemoveAt(top);
                }
            }
        }

        if (captures is not null)
        {
            var targets = new HashSet<Node>(ReferenceEqualityComparer.Instance);
            foreach (Edge c in captures) targets.Add(c.Node!);
            foreach (Node n in post)  // children before parents
            {
                bool leads = false;
                foreach (Edge e in n.Next)
                {
                    if (e.Node is { } m && (targets.Contains(m) || tasks[m].Execute))
                    {
                        leads = true;
                        break;
                    }
                }
                NodeTask t = tasks[n];
                t.Execute = leads;
                t.Relevant = leads || targets.Contains(n);
            }
        }

        foreach (var (n, t) in tasks)
        {
            if (!t.Execute || !t.Relevant || n is AccumulateGrad) continue;
            foreach (Edge e in n.Next)
                if (e.Node is { } m && tasks[m] is { Relevant: true } u) u.Dependencies++;
        }
    }

    private static bool AnyNonNull(Tensor?[] grads)
    {
        foreach (Tensor? g in grads)
            if (g is not null) return true;
        return false;
    }

    /// <summary>Sends each input gradient to the node that produced that input; nodes whose last dependency arrived become ready.</summary>
    private static void Deliver(Node node, Tensor?[] outs, Tensor?[] grads, Dictionary<Node, NodeTask> tasks,
                                PriorityQueue<Node, long> ready, DisposeScope scope)
    {
        Edge[] next = node.Next;
        for (int i = 0; i < outs.Length; ++i)
        {
            Edge e = next[i];
            if (e.Node is not { } target) continue;
            NodeTask t = tasks[target];
            if (!t.Relevant) continue;
            if (outs[i] is { } o)
            {
                bool exclusive = false;
                if (!Contains(grads, o, grads.Length) && !Contains(outs, o, i) && scope.TryRemove(o))
                {
                    // A tensor this rule made: the engine owns it. A leaf may keep it as its Grad when it shares
                    // memory with no incoming gradient (a view of one would let in-place accumulation write into it).
                    exclusive = target is AccumulateGrad && !node.MayReturnForeignTensors && !SharesMemory(o, grads);
                }
                else
                {
                    o = o.AliasWithHistory();  // an incoming gradient passed through, or a tensor the engine does not own
                }
                AddGrad(target, t, e.InputNr, o, exclusive);
            }
            // Enqueued even without a gradient: it still has to release the dependencies of the nodes after it.
            if (--t.Dependencies == 0) ready.Enqueue(target, Priority(target));
        }
    }

    private static void AddGrad(Node target, NodeTask t, int slot, Tensor g, bool exclusive)
    {
        t.Grads ??= new Tensor?[target.OutputCount];
        t.Exclusive ??= new bool[t.Grads.Length];
        if (t.Grads[slot] is not { } current)
        {
            t.Grads[slot] = g;
            t.Exclusive[slot] = exclusive;
            return;
        }
        try
        {
            t.Grads[slot] = Adopt(current + g);
            t.Exclusive[slot] = true;
        }
        finally
        {
            current.Dispose();
            g.Dispose();
        }
    }

    private static bool Contains(Tensor?[] list, Tensor t, int count)
    {
        for (int i = 0; i < count; ++i)
            if (ReferenceEquals(list[i], t)) return true;
        return false;
    }

    private static bool SharesMemory(Tensor t, Tensor?[] grads)
    {
        ulong id = t.StorageId;
        foreach (Tensor? g in grads)
            if (g is not null && g.StorageId == id) return true;
        return false;
    }

    /// <summary>Runs tensor hooks (which may replace a gradient) and keeps retained gradients, on the gradients a node received.</summary>
    private static void RunHooks(Node node, Tensor?[] grads, bool[] exclusive, DisposeScope scope)
    {
        List<TensorHook>? hooks = node is AccumulateGrad acc ? acc.Meta.Hooks : node.Hooks;
        if (hooks is not null)
        {
            TensorHook[] snapshot;
            lock (node is AccumulateGrad a ? (object)a.Meta : node) snapshot = hooks.ToArray();
            foreach (TensorHook h in snapshot)
            {
                if (grads[h.Slot] is not { } g) continue;
                Tensor? replaced;
                DisposeScope? engineScope = DisposeScope.Swap(scope.Outer);  // hooks are user code: user's scope
                try { replaced = h.Fn(g); }
                finally { DisposeScope.Swap(engineScope); }
                if (replaced is null || ReferenceEquals(replaced, g)) continue;
                grads[h.Slot] = replaced.AliasWithHistory();
                exclusive[h.Slot] = false;
                g.Dispose();
            }
        }
        if (node.RetainedGrads is { } retained)
        {
            (int Slot, AutogradMeta Meta)[] snapshot;
            lock (node) snapshot = retained.ToArray();
            foreach (var (slot, meta) in snapshot)
            {
                if (grads[slot] is not { } g) continue;
                lock (meta)
                {
                    Tensor? old = meta.Grad;
                    meta.Grad = Adopt(old is null || old.IsDisposed ? g.Clone() : old + g);
                    old?.Dispose();
                }
            }
        }
    }

    private static void Capture(Node node, Tensor?[] grads, Edge[] captures, Tensor?[] captured)
    {
        for (int k = 0; k < captures.Length; ++k)
            if (ReferenceEquals(captures[k].Node, node) && grads[captures[k].InputNr] is { } g)
                captured[k] = g.AliasWithHistory();
    }

    private static void CheckFinite(Node node, Tensor?[] outs)
    {
        for (int i = 0; i < outs.Length; ++i)
        {
            if (outs[i] is not { } o || !o.DType.IsFloatingPoint()) continue;
            bool finite;
            using (GradMode.Scope(false))
            {
                Tensor isFinite = Kernels.Unary(o, wk_unary_op.WK_UNARY_ISFINITE);
                finite = Kernels.Reduce(isFinite, wk_reduce_op.WK_REDUCE_ALL, default, false).Item<bool>();
            }
            if (finite) continue;
            string where = node.CreationTrace is { } trace
                ? $"The forward operation {node.ForwardName} was called at:\n{trace}"
                : $"The forward operation {node.ForwardName} ran before anomaly detection was enabled, so where it ran is unknown.";
            throw new InvalidOperationException(
                $"Function '{node.Name}' returned NaN or infinite values in its gradient for input {i} " +
                $"(the backward of the forward operation {node.ForwardName}). {where}");
        }
    }
}
