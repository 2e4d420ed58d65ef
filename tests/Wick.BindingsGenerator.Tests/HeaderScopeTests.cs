namespace Wick.BindingsGenerator.Tests;

/// <summary>Only the header's own files (native/include/wick/...) become bindings.</summary>
[TestFixture]
public sealed class HeaderScopeTests
{
    [Test]
    public void SystemHeaderDeclarationsAreNotEmitted()
    {
        string generated = TestHeaders.Generate("WK_API wk_status wk_f(void);\n");

        Assert.That(generated, Does.Not.Contain("int8_t"));
        Assert.That(generated, Does.Not.Contain("max_align_t"));
        Assert.That(generated, Does.Not.Contain("INT32_MAX"));
    }

    [Test]
    public void DeclarationsFromASiblingHeaderUnderWickAreEmitted_IncludedThroughTheIncludeRoot()
    {
        string generated = TestHeaders.Generate(
            "#include <wick/extra.h>\nWK_API wk_status wk_main(wk_extra e);\n",
            ("wick/extra.h", "#pragma once\n#define WK_EXTRA_LIMIT 4\ntypedef enum wk_extra { WK_EXTRA_A = 1 } wk_extra;\n"));

        Assert.That(generated, Does.Contain("internal enum wk_extra : int"));
        Assert.That(generated, Does.Contain("internal const int WK_EXTRA_LIMIT = 4;"));
        Assert.That(generated, Does.Contain("wk_main(wk_extra e);"));
    }

    [Test]
    public void DeclarationsFromAHeaderOutsideTheWickFolderAreNotEmitted()
    {
        string generated = TestHeaders.Generate(
            "#include <other/outside.h>\n",
            ("other/outside.h", "#define WK_OUTSIDE 1\ntypedef enum wk_outside { WK_O = 0 } wk_outside;\n"));

        Assert.That(generated, Does.Not.Contain("WK_OUTSIDE"));
        Assert.That(generated, Does.Not.Contain("wk_outside"));
    }
}
