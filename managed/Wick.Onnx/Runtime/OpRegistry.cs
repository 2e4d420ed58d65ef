using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Onnx.Runtime;

/// <summary>
/// The operators Wick implements, by ONNX op_type (standard domain), each a compiler from a node to a
/// <see cref="Kernel"/>. Compiling reads and checks the attributes once, so a bad attribute or an unsupported
/// variant is reported at load time, not on the first run.
/// </summary>
internal static partial class OpRegistry
{
    private static readonly Dictionary<string, Func<NodeContext, Kernel>> Table = Build();

    private static Dictionary<string, Func<NodeContext, Kernel>> Build()
    {
        var t = new Dictionary<string, Func<NodeContext, Kernel>>(StringComparer.Ordinal);
        ElementwiseOps.Register(t);
        ReductionOps.Register(t);
        ShapeOps.Register(t);
        MatrixOps.Register(t);
        NNOps.Register(t);
        return t;
    }

    /// <summary>The op types Wick implements, sorted.</summary>
    public static IReadOnlyList<string> Supported => Table.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    public static Kernel Compile(NodeContext ctx)
    {
        string domain = ctx.Node.Domain ?? "";
        if (domain.Length != 0 && domain != "ai.onnx")
            throw ctx.NotSupported($"the operator domain '{Loading.OnnxSource.Text(domain)}' is not one Wick implements (only the standard operators)");
        if (!Table.TryGetValue(ctx.OpType, out var compile))
            throw ctx.NotSupported($"the operator {Loading.OnnxSource.Text(ctx.OpType)} is not implemented by Wick");
        Kernel kernel = compile(ctx);
        ctx.RefuseUnread();
        return kernel;
    }
}
