using System;
using System.Linq;

namespace Wick.BindingsGenerator.Tests;

[TestFixture]
public sealed class LibClangLoaderTests
{
    [Test]
    public void WhenNoCandidateLoads_TheMessageSaysHowToInstallLibclang()
    {
        var error = Assert.Throws<GeneratorException>(() =>
            LibClangLoader.LoadFirst(["/nonexistent/libclang-test.so", "libclang-does-not-exist.so.99"]));

        Assert.That(error!.Message, Does.Contain("/nonexistent/libclang-test.so, libclang-does-not-exist.so.99"));
        Assert.That(error.Message, Does.Contain("libclang1-14"));
        Assert.That(error.Message, Does.Contain("WICK_LIBCLANG"));
    }

    [Test]
    public void TheEnvironmentVariableIsTriedFirst_ThenDebiansLibclang14()
    {
        string? saved = Environment.GetEnvironmentVariable(LibClangLoader.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(LibClangLoader.EnvironmentVariable, "/opt/custom/libclang.so");
            Assert.That(LibClangLoader.Candidates().Take(2), Is.EqualTo(new[] { "/opt/custom/libclang.so", "libclang-14.so.1" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LibClangLoader.EnvironmentVariable, saved);
        }
    }
}
