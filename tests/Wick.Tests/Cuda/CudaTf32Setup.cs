namespace Wick.Tests.Cuda;

/// <summary>
/// The CUDA tests compare float32 convolutions with the CPU at float32 tolerance, so TF32 convolutions (on by default,
/// as PyTorch's cuDNN ones) are turned off for this namespace. The default is recorded first, for its own test.
/// </summary>
[SetUpFixture]
public sealed class CudaTf32Setup
{
    /// <summary>Cuda.AllowTF32Convolution as the process started; null without a CUDA device.</summary>
    public static bool? DefaultConvolutionTF32 { get; private set; }

    [OneTimeSetUp]
    public void TurnOffTf32Convolutions()
    {
        if (!Wick.Cuda.IsAvailable) return;
        DefaultConvolutionTF32 = Wick.Cuda.AllowTF32Convolution;
        Wick.Cuda.AllowTF32Convolution = false;
    }

    [OneTimeTearDown]
    public void RestoreTheDefault()
    {
        if (DefaultConvolutionTF32 is bool d) Wick.Cuda.AllowTF32Convolution = d;
    }
}
