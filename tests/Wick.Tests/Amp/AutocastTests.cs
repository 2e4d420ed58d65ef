using System;
using System.Linq;
using System.Threading.Tasks;
using Wick.NN;

namespace Wick.Tests.Amp;

/// <summary>
/// Autocast's dtype policy per op category, its scopes, and gradients through its casts, on one device: the CPU
/// with bfloat16 here, CUDA with float16 and bfloat16 in <see cref="AutocastCudaTests"/>.
/// </summary>
public abstract class AutocastTestsBase
{
    protected abstract Device Dev { get; }
    protected abstract DType Low { get; }

    protected virtual void Require() { }

    private IDisposable Scope() => Autocast.Enable(Dev.Type, Low);

    private Tensor Rand(int seed, params long[] shape)
    {
        var r = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[n];
        for (long i = 0; i < n; ++i) data[i] = (float)(r.NextDouble() * 2 - 1);
        using Tensor cpu = Tensor.FromSpan<float>(data, shape);
        return cpu.To(Dev);
    }

    private static double[] Doubles(Tensor t)
    {
        using Tensor c = t.Cpu();
        using Tensor d = c.To(DType.Float64);
        return d.ToArray<double>();
    }

    // Rounds every value to the low-precision dtype, as autocast's cast of an input does.
    private double[] Rounded(Tensor t)
    {
        using Tensor low = t.To(Low);
        return Doubles(low);
    }

    [SetUp]
    public void SetUpDevice() => Require();

    [Test]
    public void Matrix_products_run_in_the_low_precision_dtype_on_rounded_inputs()
    {
        using var ds = DisposeScope.Begin();
        Tensor a = Rand(1, 5, 7), b = Rand(2, 7, 3);
        double[] ar = Rounded(a), br = Rounded(b);
        Tensor mm, bmm, addmm;
        using (Scope())
        {
            mm = a.MatMul(b);
            using Tensor a3 = a.Unsqueeze(0), b3 = b.Unsqueeze(0);
            bmm = a3.Bmm(b3);
            using Tensor bias = Tensor.Zeros(new long[] { 5, 3 }, DType.Float32, Dev);
            addmm = bias.AddMM(a, b);
        }
        Assert.That(mm.DType, Is.EqualTo(Low));
        Assert.That(bmm.DType, Is.EqualTo(Low));
        Assert.That(addmm.DType, Is.EqualTo(Low));
        double[] got = Doubles(mm);
        double tol = Low == DType.BFloat16 ? 1.6e-2 : 2e-3;
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 3; ++j)
            {
                double want = 0;
                for (int k = 0; k < 7; ++k) want += ar[i * 7 + k] * br[k * 3 + j];
                Assert.That(got[i * 3 + j], Is.EqualTo(want).Within(tol * (1 + Math.Abs(want))), $"[{i},{j}]");
            }
        Assert.That(Doubles(bmm), Is.EqualTo(got).Within(tol));
    }

    [Test]
    public void Linear_and_Conv2d_outputs_have_the_low_precision_dtype_and_float64_is_never_cast()
    {
        using var ds = DisposeScope.Begin();
        var linear = new Linear(4, 3, generator: new Generator(1));
        var conv = new Conv2d(2, 3, 3, padding: 1, generator: new Generator(2));
        linear.To(Dev);
        conv.To(Dev);
        Tensor x = Rand(3, 2, 4), img = Rand(4, 1, 2, 5, 5);
        using (Scope())
        {
            Assert.That(linear.Forward(x).DType, Is.EqualTo(Low));
            Assert.That(conv.Forward(img).DType, Is.EqualTo(Low));
            using Tensor x64 = x.To(DType.Float64);
            using Tensor w64 = Rand(5, 4, 2).To(DType.Float64);
            Assert.That(x64.MatMul(w64).DType, Is.EqualTo(DType.Float64));
        }
        Assert.That(linear.Forward(x).DType, Is.EqualTo(DType.Float32), "outside the scope");
    }

    [Test]
    public void Softmax_norms_exp_log_and_sums_of_low_precision_inputs_run_in_float32()
    {
        using var ds = DisposeScope.Begin();
        Tensor x = Rand(5, 4, 6).To(Low);
        double[] xr = Doubles(x);
        using (Scope())
        {
            Tensor sm = x.Softmax(1), lsm = new LogSoftmax(1).Forward(x), ln = new LayerNorm(new long[] { 6 }).To(Dev).Forward(x);
            Tensor e = x.Exp(), l = x.Abs().Log(), s = x.Sum(), m = x.Mean(), cs = x.CumSum(1);
            foreach (var (t, name) in new[] { (sm, "softmax"), (lsm, "log_softmax"), (ln, "layer_norm"), (e, "exp"), (l, "log"), (s, "sum"), (m, "mean"), (cs, "cumsum") })
                Assert.That(t.DType, Is.EqualTo(DType.Float32), name);
            // The float32 softmax of the low-precision values, to float32 accuracy.
            double[] got = Doubles(sm);
            for (int r = 0; r < 4; ++r)
            {
                double max = Enumerable.Range(0, 6).Max(c => xr[r * 6 + c]);
                double z = Enumerable.Range(0, 6).Sum(c => Math.Exp(xr[r * 6 + c] - max));
                for (int c = 0; c < 6; ++c) Assert.That(got[r * 6 + c], Is.EqualTo(Math.Exp(xr[r * 6 + c] - max) / z).Within(1e-6));
            }
            Assert.That(Doubles(s)[0], Is.EqualTo(xr.Sum()).Within(1e-5));
            // Ops outside both lists keep their input dtype.
            Assert.That(x.Relu().DType, Is.EqualTo(Low));
            Assert.That(x.Max().DType, Is.EqualTo(Low));
        }
    }

    [Test]
    public void Elementwise_ops_and_cat_promote_to_the_widest_input_dtype()
    {
        using var ds = DisposeScope.Begin();
        Tensor lo = Rand(6, 3).To(Low), f32 = Rand(7, 3);
        using (Scope())
        {
            Assert.That((lo + f32).DType, Is.EqualTo(DType.Float32));
            Assert.That((lo * lo).DType, Is.EqualTo(Low));
            Assert.That(Tensor.Cat(new[] { lo, f32 }, 0).DType, Is.EqualTo(DType.Float32));
        }
    }

    [Test]
    public void Scopes_nest_disable_and_restore_and_flow_into_tasks()
    {
        Assert.That(Autocast.IsEnabled(Dev.Type), Is.False);
        using (Scope())
        {
            Assert.That(Autocast.IsEnabled(Dev.Type), Is.True);
            Assert.That(Autocast.GetDType(Dev.Type), Is.EqualTo(Low));
            using (Autocast.Disable(Dev.Type))
            {
                Assert.That(Autocast.IsEnabled(Dev.Type), Is.False);
                using Tensor a = Rand(1, 2, 2), b = Rand(2, 2, 2);
                using Tensor y = a.MatMul(b);
                Assert.That(y.DType, Is.EqualTo(DType.Float32));
            }
            Assert.That(Autocast.IsEnabled(Dev.Type), Is.True);
            bool inTask = Task.Run(() => Autocast.IsEnabled(Dev.Type)).Result;
            Assert.That(inTask, Is.True, "the scope flows into a task started inside it");
        }
        Assert.That(Autocast.IsEnabled(Dev.Type), Is.False);
    }

    [Test]
    public void Only_float16_and_bfloat16_are_accepted()
    {
        var ex = Assert.Throws<DTypeException>(() => Autocast.Enable(Dev.Type, DType.Float32));
        Assert.That(ex!.Message, Does.Contain("Float16 or BFloat16").And.Contain("Float32"));
        Assert.That(Autocast.IsEnabled(Dev.Type), Is.False);
    }

    [Test]
    public void Gradients_reach_float32_parameters_as_float32_and_match_the_float32_run()
    {
        using var ds = DisposeScope.Begin();
        var model = new Sequential(new Linear(8, 16, generator: new Generator(3)), new ReLU(), new Linear(16, 4, generator: new Generator(4)));
        model.To(Dev);
        Tensor x = Rand(8, 10, 8);
        Tensor target = Tensor.FromArray(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1 }).To(Dev);
        using var lossFn = new CrossEntropyLoss();

        Tensor loss32 = lossFn.Forward(model.Forward(x), target);
        loss32.Backward();
        var ref32 = model.Parameters().Select(p => Doubles(p.Grad!)).ToArray();
        foreach (var p in model.Parameters()) p.Grad = null;

        Tensor lossLow;
        using (Scope())
        {
            Tensor logits = model.Forward(x);
            Assert.That(logits.DType, Is.EqualTo(Low));
            lossLow = lossFn.Forward(logits, target);
        }
        Assert.That(lossLow.DType, Is.EqualTo(DType.Float32), "cross-entropy runs in float32");
        lossLow.Backward();
        var ps = model.Parameters().ToArray();
        for (int i = 0; i < ps.Length; ++i)
        {
            Assert.That(ps[i].Grad!.DType, Is.EqualTo(DType.Float32), $"parameter {i}");
            double[] g = Doubles(ps[i].Grad!);
            double scale = ref32[i].Max(Math.Abs) + 1e-3;
            for (int k = 0; k < g.Length; ++k) Assert.That(g[k], Is.EqualTo(ref32[i][k]).Within(0.05 * scale), $"parameter {i} element {k}");
        }
    }

    [Test]
    public void A_parameter_changed_in_place_inside_the_scope_gets_a_fresh_cast()
    {
        using var ds = DisposeScope.Begin();
        var linear = new Linear(3, 2, bias: false, generator: new Generator(5));
        linear.To(Dev);
        Tensor x = Rand(9, 1, 3);
        using (Scope())
        {
            Tensor first = linear.Forward(x);
            using (Wick.Autograd.NoGrad()) linear.Weight.Fill(0.5);
            Tensor second = linear.Forward(x);
            double[] xr = Rounded(x);
            double want = 0.5 * xr.Sum();
            Assert.That(Doubles(second), Is.EqualTo(new[] { want, want }).Within(0.02 * (1 + Math.Abs(want))));
            Assert.That(Doubles(first), Is.Not.EqualTo(Doubles(second)));
        }
    }
}

/// <summary>Autocast on the CPU with bfloat16 (PyTorch's CPU autocast dtype).</summary>
public class AutocastCpuTests : AutocastTestsBase
{
    protected override Device Dev => Device.Cpu;
    protected override DType Low => DType.BFloat16;
}
