using System.Collections.Generic;

namespace Wick.Bench;

/// <summary>Cases of the CPU kernel core: per-op overhead, elementwise ops and reductions over 16M floats.</summary>
public static class CoreCases
{
    private const long N = 16L << 20;

    public static IEnumerable<BenchCase> All()
    {
        yield return new BenchCase("add_1elem_overhead", "ns", "core", () =>
        {
            using Tensor a = Tensor.FromArray(new[] { 1f });
            using Tensor b = Tensor.FromArray(new[] { 2f });
            return Measure.SecondsPerCall(() => { using Tensor c = a + b; }, calls: 200_000, samples: 7) * 1e9;
        });
        yield return new BenchCase("add_16M_alloc", "ms", "core", () =>
        {
            using Tensor a = Tensor.Ones(N);
            using Tensor b = Tensor.Ones(N);
            return Measure.SecondsPerCall(() => { using Tensor c = a + b; }, samples: 21) * 1e3;
        });
        yield return new BenchCase("add_16M_inplace", "ms", "core", () =>
        {
            using Tensor a = Tensor.Ones(N);
            using Tensor b = Tensor.Ones(N);
            return Measure.SecondsPerCall(() => a.AddInPlace(b), samples: 21) * 1e3;
        });
        yield return new BenchCase("sum_16M", "ms", "core", () =>
        {
            using Tensor a = Tensor.Ones(N);
            return Measure.SecondsPerCall(() => { using Tensor s = a.Sum(); }, samples: 21) * 1e3;
        });
        yield return new BenchCase("sum_dim0_4096x4096", "ms", "core", () =>
        {
            using Tensor a = Tensor.Ones(4096, 4096);
            return Measure.SecondsPerCall(() => { using Tensor s = a.Sum(0); }, samples: 21) * 1e3;
        });
        yield return new BenchCase("exp_16M", "ms", "core", () =>
        {
            using Tensor a = Tensor.RandN(N);
            return Measure.SecondsPerCall(() => { using Tensor y = a.Exp(); }, samples: 11) * 1e3;
        });
        yield return new BenchCase("tanh_16M", "ms", "core", () =>
        {
            using Tensor a = Tensor.RandN(N);
            return Measure.SecondsPerCall(() => { using Tensor y = a.Tanh(); }, samples: 11) * 1e3;
        });
        yield return new BenchCase("gelu_16M", "ms", "core", () =>
        {
            using Tensor a = Tensor.RandN(N);
            return Measure.SecondsPerCall(() => { using Tensor y = a.Gelu(); }, samples: 11) * 1e3;
        });
    }
}
