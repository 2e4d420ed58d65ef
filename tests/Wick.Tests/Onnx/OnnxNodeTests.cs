using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Wick.Onnx;
using Wick.Tests.Support;

namespace Wick.Tests.Onnx;

/// <summary>
/// ONNX's own backend node tests (tests/data/onnx-node, from onnx 1.22.0, Apache-2.0): each case is a model.onnx and
/// test_data_set_0 with input_*.pb and output_*.pb TensorProtos. Each case loads the model, runs it on the inputs and
/// compares every output as ONNX's runner does: same shape and dtype, |actual - expected| &lt;= atol + rtol·|expected|
/// with rtol 1e-3 and atol 1e-7. <see cref="PrintsTheNodeTable"/> runs all of them and prints a passed/failed table.
/// </summary>
public class OnnxNodeTests
{
    private const double Rtol = 1e-3, Atol = 1e-7;

    public static IEnumerable<TestCaseData> Cases() =>
        Directory.GetDirectories(TestData.Path("onnx-node")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new TestCaseData(n).SetName(n!));

    [TestCaseSource(nameof(Cases))]
    public void MatchesTheReferenceOutputs(string name)
    {
        string? failure = RunCase(name);
        Assert.That(failure, Is.Null, failure);
    }

    [Test]
    public void PrintsTheNodeTable()
    {
        var rows = new List<(string Name, string? Failure)>();
        foreach (TestCaseData c in Cases()) rows.Add(((string)c.Arguments[0]!, RunCase((string)c.Arguments[0]!)));
        var table = new StringBuilder();
        table.AppendLine("| case | result |").AppendLine("| --- | --- |");
        foreach (var (n, f) in rows) table.AppendLine($"| {n} | {(f is null ? "passed" : "FAILED: " + f.Replace('|', '/').Replace('\n', ' '))} |");
        int passed = rows.Count(r => r.Failure is null);
        table.AppendLine().AppendLine($"ONNX node tests: {passed} passed, {rows.Count - passed} failed, {rows.Count} cases");
        TestContext.Out.Write(table.ToString());
        string report = TestData.Path("..", "..", "artifacts", "onnx", "node-table.md");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        File.WriteAllText(report, table.ToString());
        TestContext.Progress.WriteLine($"ONNX node tests: {passed} passed, {rows.Count - passed} failed, {rows.Count} cases (table: {Path.GetFullPath(report)})");
        Assert.That(rows, Has.Count.EqualTo(72), "the 72 cases of tests/data/onnx-node");
        Assert.That(passed, Is.EqualTo(rows.Count), table.ToString());
    }

    /// <summary>Runs one case; null when every output matches, else what went wrong.</summary>
    private static string? RunCase(string name)
    {
        string dir = TestData.Path("onnx-node", name);
        string data = Path.Combine(dir, "test_data_set_0");
        var inputs = new List<Tensor>();
        var expected = new List<Tensor>();
        Tensor[]? outputs = null;
        try
        {
            using OnnxModule model = Wick.Onnx.Onnx.Load(Path.Combine(dir, "model.onnx"));
            for (int i = 0; File.Exists(Path.Combine(data, $"input_{i}.pb")); ++i) inputs.Add(Wick.Onnx.Onnx.LoadTensor(Path.Combine(data, $"input_{i}.pb")));
            for (int i = 0; File.Exists(Path.Combine(data, $"output_{i}.pb")); ++i) expected.Add(Wick.Onnx.Onnx.LoadTensor(Path.Combine(data, $"output_{i}.pb")));
            outputs = model.Run(inputs.ToArray());
            if (outputs.Length != expected.Count) return $"{outputs.Length} outputs, expected {expected.Count}";
            for (int i = 0; i < outputs.Length; ++i)
                if (Compare(outputs[i], expected[i]) is { } problem) return $"output {i}: {problem}";
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            foreach (Tensor t in inputs) t.Dispose();
            foreach (Tensor t in expected) t.Dispose();
            if (outputs is not null) foreach (Tensor t in outputs) t.Dispose();
        }
    }

    private static string? Compare(Tensor actual, Tensor expected)
    {
        if (actual.DType != expected.DType) return $"dtype {actual.DType}, expected {expected.DType}";
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return $"shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]";
        double[] a = Reference.Of(actual).Data, e = Reference.Of(expected).Data;
        for (int i = 0; i < a.Length; ++i)
        {
            if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
            if (a[i] == e[i]) continue;
            if (!(Math.Abs(a[i] - e[i]) <= Atol + Rtol * Math.Abs(e[i])))
                return $"element {i} is {a[i]}, expected {e[i]}";
        }
        return null;
    }
}
