using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Optim;

namespace Wick.Tests.Amp;

/// <summary>
/// GradScaler: scaling, unscaling, skipping a step on inf/NaN gradients, backoff and growth of the scale, the
/// order of calls, its state dict, the native unscale-and-check kernel per dtype and layout, and a small model
/// trained under autocast with a scaler reaching the float32 run's loss. CUDA runs the same in <see cref="GradScalerCudaTests"/>.
/// </summary>
public abstract class GradScalerTestsBase
{
    protected abstract Device Dev { get; }
    protected abstract DType Low { get; }

    protected virtual void Require() { }

    [SetUp]
    public void SetUpDevice() => Require();

    private Tensor Param(params float[] values)
    {
        using Tensor cpu = Tensor.FromArray(values);
        return cpu.To(Dev).SetRequiresGrad();
    }

    private static float[] Floats(Tensor t)
    {
        using Tensor c = t.Cpu();
        using Tensor f = c.To(DType.Float32);
        return f.ToArray<float>();
    }

    // loss = sum(w * c): its gradient is c.
    private static Tensor Loss(Tensor w, Tensor c)
    {
        using Tensor prod = w * c;
        return prod.Sum();
    }

    [Test]
    public void Scale_multiplies_by_2_to_the_16_and_Step_unscales_the_gradients_before_stepping()
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1, 2, 3);
        Tensor c = Tensor.FromArray(new[] { 0.5f, -1f, 2f }).To(Dev);
        using var opt = new SGD(new[] { w }, lr: 0.1);
        using var scaler = new GradScaler();
        Assert.That(scaler.GetScale(), Is.EqualTo(65536.0));
        Tensor loss = Loss(w, c);
        using (Tensor scaled = scaler.Scale(loss))
        {
            Assert.That(Floats(scaled)[0], Is.EqualTo(Floats(loss)[0] * 65536f));
            scaled.Backward();
        }
        Assert.That(Floats(w.Grad!), Is.EqualTo(new[] { 0.5f * 65536, -65536f, 2f * 65536 }));
        Assert.That(scaler.Step(opt), Is.True);
        Assert.That(Floats(w.Grad!), Is.EqualTo(new[] { 0.5f, -1f, 2f }), "unscaled in place");
        Assert.That(Floats(w), Is.EqualTo(new[] { 1 - 0.05f, 2 + 0.1f, 3 - 0.2f }).Within(1e-6));
        scaler.Update();
        Assert.That(scaler.GetScale(), Is.EqualTo(65536.0), "one clean step is not enough to grow");
    }

    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    [TestCase(float.NaN)]
    public void A_non_finite_gradient_skips_the_step_and_halves_the_scale(float bad)
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1, 2, 3), v = Param(4, 5);
        using var opt = new Adam(new[] { w, v }, lr: 0.1);
        using var scaler = new GradScaler();
        using (Tensor scaled = scaler.Scale(Loss(w, Tensor.Ones(new long[] { 3 }, DType.Float32, Dev)) + Loss(v, Tensor.Ones(new long[] { 2 }, DType.Float32, Dev))))
            scaled.Backward();
        using (Wick.Autograd.NoGrad()) v.Grad![1] = Tensor.Scalar(bad, DType.Float32, Dev);  // only the second parameter's gradient
        Assert.That(scaler.Step(opt), Is.False);
        Assert.That(Floats(w), Is.EqualTo(new[] { 1f, 2f, 3f }), "no parameter moves");
        Assert.That(Floats(v), Is.EqualTo(new[] { 4f, 5f }));
        Assert.That(opt.State(w), Is.Null, "the optimizer did not run");
        scaler.Update();
        Assert.That(scaler.GetScale(), Is.EqualTo(32768.0));
    }

    [Test]
    public void The_scale_grows_after_the_growth_interval_of_clean_steps_and_the_count_restarts_after_a_backoff()
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1, 2);
        using var opt = new SGD(new[] { w }, lr: 0.01);
        using var scaler = new GradScaler(initScale: 8, growthFactor: 4, backoffFactor: 0.25, growthInterval: 3);
        var scales = new List<double>();
        for (int step = 0; step < 8; ++step)
        {
            opt.ZeroGrad();
            using (var scope = DisposeScope.Begin())
            using (Tensor scaled = scaler.Scale(Loss(w, Tensor.Ones(new long[] { 2 }, DType.Float32, Dev))))
                scaled.Backward();
            if (step == 4) using (Wick.Autograd.NoGrad()) w.Grad!.Fill(double.NaN);
            scaler.Step(opt);
            scaler.Update();
            scales.Add(scaler.GetScale());
        }
        // Clean, clean, clean -> grow x4; clean; NaN -> x0.25, count restarts; then three clean -> grow.
        Assert.That(scales, Is.EqualTo(new[] { 8.0, 8, 32, 32, 8, 8, 8, 32 }));
    }

    [Test]
    public void Unscale_before_Step_lets_gradients_be_clipped_and_the_call_order_is_checked()
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1, 2);
        using var opt = new SGD(new[] { w }, lr: 1);
        using var scaler = new GradScaler(initScale: 4);
        var early = Assert.Throws<InvalidOperationException>(() => scaler.Update());
        Assert.That(early!.Message, Does.Contain("no loss was scaled yet"));
        Assert.That(scaler.GetScale(), Is.EqualTo(4.0));
        using (Tensor scaled = scaler.Scale(Loss(w, Tensor.Full(new long[] { 2 }, 3, DType.Float32, Dev)))) scaled.Backward();
        var noCheck = Assert.Throws<InvalidOperationException>(() => scaler.Update());
        Assert.That(noCheck!.Message, Does.Contain("no inf/NaN checks were recorded"));
        scaler.Unscale(opt);
        Assert.That(Floats(w.Grad!), Is.EqualTo(new[] { 3f, 3f }));
        var twice = Assert.Throws<InvalidOperationException>(() => scaler.Unscale(opt));
        Assert.That(twice!.Message, Does.Contain("already called"));
        Assert.That(scaler.Step(opt), Is.True);
        Assert.That(Floats(w), Is.EqualTo(new[] { -2f, -1f }), "stepped with the unscaled gradient, not unscaled twice");
        var stepTwice = Assert.Throws<InvalidOperationException>(() => scaler.Step(opt));
        Assert.That(stepTwice!.Message, Does.Contain("already called"));
        scaler.Update();
        scaler.Update(newScale: 2);
        Assert.That(scaler.GetScale(), Is.EqualTo(2.0));
    }

    [Test]
    public void The_state_dict_round_trips_scale_factors_interval_and_growth_tracker()
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1);
        using var opt = new SGD(new[] { w }, lr: 0.1);
        using var a = new GradScaler(initScale: 16, growthFactor: 3, backoffFactor: 0.5, growthInterval: 3);
        for (int i = 0; i < 2; ++i)  // two clean steps: the tracker is at 2
        {
            opt.ZeroGrad();
            using (Tensor s = a.Scale(Loss(w, Tensor.Ones(new long[] { 1 }, DType.Float32, Dev)))) s.Backward();
            a.Step(opt);
            a.Update();
        }
        using Wick.NN.StateDict state = a.StateDict();
        Assert.That(state.Keys, Is.EquivalentTo(new[] { "scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker" }));
        Assert.That(state["_growth_tracker"].Item<long>(), Is.EqualTo(2));
        using var b = new GradScaler();
        b.LoadStateDict(state);
        Assert.That(b.GetScale(), Is.EqualTo(16.0));
        Assert.That((b.GrowthFactor, b.BackoffFactor, b.GrowthInterval), Is.EqualTo((3.0, 0.5, 3)));
        // One more clean step completes the interval: the loaded tracker counts.
        opt.ZeroGrad();
        using (Tensor s = b.Scale(Loss(w, Tensor.Ones(new long[] { 1 }, DType.Float32, Dev)))) s.Backward();
        b.Step(opt);
        b.Update();
        Assert.That(b.GetScale(), Is.EqualTo(48.0));
        var missing = Assert.Throws<ArgumentException>(() => b.LoadStateDict(new Dictionary<string, Tensor> { ["scale"] = state["scale"] }));
        Assert.That(missing!.Message, Does.Contain("missing key \"growth_factor\""));
    }

    [Test]
    public void A_disabled_scaler_passes_through()
    {
        using var ds = DisposeScope.Begin();
        Tensor w = Param(1, 2);
        using var opt = new SGD(new[] { w }, lr: 1);
        using var scaler = new GradScaler(enabled: false);
        Tensor loss = Loss(w, Tensor.Ones(new long[] { 2 }, DType.Float32, Dev));
        using (Tensor s = scaler.Scale(loss))
        {
            Assert.That(Floats(s), Is.EqualTo(Floats(loss)));
            s.Backward();
        }
        Assert.That(scaler.Step(opt), Is.True);
        scaler.Update();
        Assert.That(Floats(w), Is.EqualTo(new[] { 0f, 1f }));
        Assert.That(scaler.GetScale(), Is.EqualTo(1.0));
    }

    [Test]
    public void Bad_constructor_arguments_are_refused()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(initScale: 0))!.Message, Does.Contain("initial scale"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthFactor: 1))!.Message, Does.Contain("growth factor"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(backoffFactor: 1))!.Message, Does.Contain("backoff factor"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new GradScaler(growthInterval: 0))!.Message, Does.Contain("growth interval"));
    }

    public static IEnumerable<DType> GradDTypes() => new[] { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16 };

    [TestCaseSource(nameof(GradDTypes))]
    public void The_native_unscale_check_multiplies_every_dtype_and_layout_and_flags_only_non_finite_values(DType dtype)
    {
        using var ds = DisposeScope.Begin();
        // 3 x 40000: more than one parallel chunk / one thread block; the second gradient is a transposed view.
        var data = new double[120000];
        for (int i = 0; i < data.Length; ++i) data[i] = (i % 17 - 8) * 0.25;
        Tensor g1 = Tensor.FromSpan<double>(data, new long[] { 3, 40000 }).To(dtype).To(Dev);
        Tensor g2base = Tensor.FromSpan<double>(data.AsSpan(0, 12), new long[] { 3, 4 }).To(dtype).To(Dev);
        Tensor g2 = g2base.T;
        Tensor empty = Tensor.Zeros(new long[] { 0 }, dtype, Dev);
        Tensor found = Tensor.Zeros(Array.Empty<long>(), DType.Float32, Dev);
        Tensor inv = Tensor.Scalar(0.5, DType.Float32, Dev);
        AmpKernels.UnscaleCheck(new[] { g1, g2, empty }, found, inv);
        Assert.That(found.Item<float>(), Is.EqualTo(0f));
        double[] got = g1.Cpu().To(DType.Float64).ToArray<double>();
        for (int i = 0; i < data.Length; i += 997) Assert.That(got[i], Is.EqualTo(data[i] * 0.5), $"element {i}");
        double[] got2 = g2base.Cpu().To(DType.Float64).ToArray<double>();
        for (int i = 0; i < 12; ++i) Assert.That(got2[i], Is.EqualTo(data[i] * 0.5), $"strided element {i}");

        using (Wick.Autograd.NoGrad()) g1[2, 39999] = Tensor.Scalar(double.PositiveInfinity, dtype, Dev);
        AmpKernels.UnscaleCheck(new[] { g2 }, found, inv);
        Assert.That(found.Item<float>(), Is.EqualTo(0f), "a clean call leaves the flag alone");
        AmpKernels.UnscaleCheck(new[] { g1 }, found, inv);
        Assert.That(found.Item<float>(), Is.EqualTo(1f));
        AmpKernels.UnscaleCheck(new[] { g2 }, found, inv);
        Assert.That(found.Item<float>(), Is.EqualTo(1f), "the flag is never cleared by the kernel");
    }

    [Test]
    public void The_native_steps_refuse_bad_state_tensors_with_messages_naming_them()
    {
        using var ds = DisposeScope.Begin();
        Tensor g = Tensor.Ones(new long[] { 2 }, DType.Float32, Dev);
        Tensor found64 = Tensor.Zeros(Array.Empty<long>(), DType.Float64, Dev);
        Tensor inv = Tensor.Scalar(1.0, DType.Float32, Dev);
        var e1 = Assert.Throws<DTypeException>(() => AmpKernels.UnscaleCheck(new[] { g }, found64, inv));
        Assert.That(e1!.Message, Does.Contain("amp_unscale_check: found_inf must be float32"));
        Tensor two = Tensor.Zeros(new long[] { 2 }, DType.Float32, Dev);
        var e2 = Assert.Throws<ShapeMismatchException>(() => AmpKernels.UnscaleCheck(new[] { g }, two, inv));
        Assert.That(e2!.Message, Does.Contain("found_inf must have one element"));
        Tensor ints = Tensor.Ones(new long[] { 2 }, DType.Int32, Dev);
        Tensor found = Tensor.Zeros(Array.Empty<long>(), DType.Float32, Dev);
        var e3 = Assert.Throws<DTypeException>(() => AmpKernels.UnscaleCheck(new[] { ints }, found, inv));
        Assert.That(e3!.Message, Does.Contain("gradient 0 is int32"));
        Tensor scale = Tensor.Scalar(1.0, DType.Float32, Dev);
        Tensor tracker32 = Tensor.Zeros(Array.Empty<long>(), DType.Int32, Dev);
        var e4 = Assert.Throws<ArgumentException>(() => AmpKernels.UpdateScale(scale, tracker32, found, 0.5, 0.5, 10));
        Assert.That(e4!.Message, Does.Contain("growth_factor must be a finite number above 1"));
        Tensor trackerF = Tensor.Zeros(Array.Empty<long>(), DType.Float32, Dev);
        var e5 = Assert.Throws<DTypeException>(() => AmpKernels.UpdateScale(scale, trackerF, found, 2, 0.5, 10));
        Assert.That(e5!.Message, Does.Contain("growth_tracker must be int32"));
    }

    // A two-layer MLP on a synthetic 3-class problem, 60 Adam steps; returns the mean loss of the last 10 steps.
    private double TrainMlp(bool amp, out int skipped)
    {
        using var ds = DisposeScope.Begin();
        var r = new Random(7);
        int n = 256;
        var xs = new float[n * 8];
        var ys = new long[n];
        for (int i = 0; i < n; ++i)
        {
            double s = 0;
            for (int k = 0; k < 8; ++k) { xs[i * 8 + k] = (float)(r.NextDouble() * 2 - 1); s += xs[i * 8 + k] * (k % 3 - 1); }
            ys[i] = s < -0.3 ? 0 : s < 0.3 ? 1 : 2;
        }
        Tensor x = Tensor.FromSpan<float>(xs, new long[] { n, 8 }).To(Dev), y = Tensor.FromArray(ys).To(Dev);
        var model = new Sequential(new Linear(8, 32, generator: new Generator(11)), new ReLU(), new Linear(32, 3, generator: new Generator(12)));
        model.To(Dev);
        using var opt = new Adam(model.Parameters(), lr: 0.01);
        using var lossFn = new CrossEntropyLoss();
        using var scaler = new GradScaler(enabled: amp);
        var losses = new List<double>();
        skipped = 0;
        for (int step = 0; step < 60; ++step)
        {
            using var scope = DisposeScope.Begin();
            opt.ZeroGrad();
            Tensor loss;
            using (Autocast.Enable(Dev.Type, Low, enabled: amp)) loss = lossFn.Forward(model.Forward(x), y);
            using (Tensor scaled = scaler.Scale(loss)) scaled.Backward();
            if (!scaler.Step(opt)) skipped++;
            scaler.Update();
            losses.Add(loss.Item<float>());
        }
        return losses.Skip(50).Average();
    }

    [Test]
    public void A_model_trained_under_autocast_with_a_scaler_reaches_the_float32_loss()
    {
        double f32 = TrainMlp(amp: false, out _);
        double mixed = TrainMlp(amp: true, out int skipped);
        TestContext.Out.WriteLine($"{Dev} {Low}: final loss float32 {f32:F4}, autocast+GradScaler {mixed:F4}, skipped steps {skipped}");
        Assert.That(f32, Is.LessThan(0.5), "the problem is learnable");
        Assert.That(mixed, Is.EqualTo(f32).Within(0.05 + 0.1 * f32));
        Assert.That(skipped, Is.LessThanOrEqualTo(2));
    }
}

/// <summary>GradScaler on the CPU (with bfloat16 autocast for the training case).</summary>
public class GradScalerCpuTests : GradScalerTestsBase
{
    protected override Device Dev => Device.Cpu;
    protected override DType Low => DType.BFloat16;
}
