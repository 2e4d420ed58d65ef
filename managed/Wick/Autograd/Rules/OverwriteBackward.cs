namespace Wick;

/// <summary>A value overwritten in place by something that does not depend on it: its previous history gets zeros.</summary>
internal sealed class OverwriteBackward : Node
{
    private readonly string _name;
    private readonly long[] _shape;
    private readonly DType _dtype;

    public OverwriteBackward(string name, long[] shape, DType dtype)
    {
        _name = name;
        _shape = shape;
        _dtype = dtype;
    }

    public override string Name => _name + "Backward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { Tensor.Zeros(_shape, _dtype, g[0]!.Device) };
}
