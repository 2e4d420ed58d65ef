using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    /// <summary>
    /// Makes this tensor object refer to <paramref name="source"/>'s memory, shape and dtype (PyTorch's
    /// <c>param.data = ...</c>), keeping its identity and autograd flags, so that references held elsewhere
    /// (module fields, optimizers) follow a module moved or converted with To(). Not thread-safe: nothing else
    /// may use this tensor meanwhile.
    /// </summary>
    internal void SetData(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        nint h = source.Handle;
        Ensure.Ok(NativeMethods.wk_tensor_retain(h));
        GC.KeepAlive(source);
        TensorHandle old = _handle;
        if (old.IsClosed)
        {
            NativeMethods.wk_tensor_release(h);
            ThrowDisposed();
        }
        _handle = new TensorHandle(h);
        _ndim = -1;
        _dtype = -1;
        _shape = null;
        old.Dispose();
        MemoryPressure.Update();
    }
}
