using System;

namespace Wick.BindingsGenerator.Tests;

[TestFixture]
public sealed class MacroTests
{
    [Test]
    public void IntegerLiteralWkMacrosBecomeConstants()
    {
        string generated = TestHeaders.Generate("""
            #define WK_ABI_VERSION 1
            #define WK_MAX_DIMS 16
            #define WK_MASK 0xFF
            #define WK_MINUS (-3)
            #define WK_BIG 5000000000
            #define WK_UNSIGNED 7u
            """);

        Assert.That(generated, Does.Contain("internal const int WK_ABI_VERSION = 1;"));
        Assert.That(generated, Does.Contain("internal const int WK_MAX_DIMS = 16;"));
        Assert.That(generated, Does.Contain("internal const int WK_MASK = 255;"));
        Assert.That(generated, Does.Contain("internal const int WK_MINUS = -3;"));
        Assert.That(generated, Does.Contain("internal const long WK_BIG = 5000000000;"));
        Assert.That(generated, Does.Contain("internal const uint WK_UNSIGNED = 7;"));
    }

    [Test]
    public void ConstantsLiveInNativeMethods_InHeaderOrder()
    {
        string generated = TestHeaders.Generate("#define WK_SECOND 2\n#define WK_FIRST 1\n");

        int classStart = generated.IndexOf("internal static unsafe partial class NativeMethods", StringComparison.Ordinal);
        int second = generated.IndexOf("WK_SECOND = 2", StringComparison.Ordinal);
        int first = generated.IndexOf("WK_FIRST = 1", StringComparison.Ordinal);
        Assert.That(classStart, Is.GreaterThan(0));
        Assert.That(second, Is.GreaterThan(classStart));
        Assert.That(first, Is.GreaterThan(second));
    }

    [Test]
    public void ExportMacroFunctionLikeMacrosAndForeignNamesAreSkipped()
    {
        string generated = TestHeaders.Generate("""
            #define WK_SQUARE(x) ((x) * (x))
            #define OTHER_LIMIT 3
            #define WK_NAME "wick"
            """);

        Assert.That(generated, Does.Not.Contain("WK_API"));
        Assert.That(generated, Does.Not.Contain("WK_SQUARE"));
        Assert.That(generated, Does.Not.Contain("OTHER_LIMIT"));
        Assert.That(generated, Does.Not.Contain("WK_NAME"));
    }
}
