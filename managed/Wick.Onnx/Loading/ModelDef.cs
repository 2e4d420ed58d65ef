using System.Collections.Generic;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Loading;

/// <summary>A validated model: IR version, operator set versions by domain, and the main graph.</summary>
internal sealed record ModelDef(long IrVersion, IReadOnlyDictionary<string, long> Opsets, GraphDef Graph, ModelProto Proto)
{
    /// <summary>The version of the standard operator set ("" and "ai.onnx" are the same domain).</summary>
    public long DefaultOpset => Opsets.TryGetValue("", out long v) ? v : 0;
}

/// <summary>
/// A validated graph: its runtime inputs (graph inputs that are not initializers), its outputs, its initializers, and
/// its nodes in an order where every value is defined before it is read (the file's order when that already is one).
/// <see cref="NodeNumbers"/> keeps each node's position in the file for messages.
/// </summary>
internal sealed record GraphDef(
    IReadOnlyList<ValueInfoProto> Inputs,
    IReadOnlyList<ValueInfoProto> Outputs,
    IReadOnlyList<TensorProto> Initializers,
    IReadOnlyList<NodeProto> Nodes,
    IReadOnlyList<int> NodeNumbers);
