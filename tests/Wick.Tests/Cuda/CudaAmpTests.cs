using Wick.Tests.Amp;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Autocast's policy, scopes and gradients on CUDA with float16 (PyTorch's CUDA default).</summary>
[Category("Cuda")]
public class AutocastCudaTests : AutocastTestsBase
{
    protected override Device Dev => Gpu;
    protected override DType Low => DType.Float16;
    protected override void Require() => RequireCuda();
}

/// <summary>Autocast on CUDA with bfloat16.</summary>
[Category("Cuda")]
public class AutocastCudaBFloat16Tests : AutocastTestsBase
{
    protected override Device Dev => Gpu;
    protected override DType Low => DType.BFloat16;
    protected override void Require() => RequireCuda();
}

/// <summary>GradScaler on CUDA: the flag, scale and tracker live on the GPU; float16 autocast for the training case.</summary>
[Category("Cuda")]
public class GradScalerCudaTests : GradScalerTestsBase
{
    protected override Device Dev => Gpu;
    protected override DType Low => DType.Float16;
    protected override void Require() => RequireCuda();
}
