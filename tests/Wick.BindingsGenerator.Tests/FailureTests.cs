using System.IO;

namespace Wick.BindingsGenerator.Tests;

/// <summary>Headers that must not produce bindings: a guess would be a memory corruption at run time.</summary>
[TestFixture]
public sealed class FailureTests
{
    [Test]
    public void LongIsRejected_NamingFunctionAndParameter()
    {
        string message = TestHeaders.Fail("WK_API wk_status wk_tensor_resize(int32_t n, long count);\n");

        Assert.That(message, Does.Contain("parameter 'count' of function 'wk_tensor_resize'"));
        Assert.That(message, Does.Contain("C type 'long'"));
        Assert.That(message, Does.Contain("use int32_t or int64_t"));
    }

    [Test]
    public void BoolIsRejected() =>
        Assert.That(TestHeaders.Fail("WK_API wk_status wk_f(_Bool flag);\n"), Does.Contain("parameter 'flag' of function 'wk_f'"));

    [Test]
    public void PlainCharByValueIsRejected() =>
        Assert.That(TestHeaders.Fail("WK_API wk_status wk_f(char c);\n"), Does.Contain("signed on x86 and unsigned on ARM"));

    [Test]
    public void UnsupportedReturnTypeNamesTheFunction() =>
        Assert.That(TestHeaders.Fail("WK_API unsigned long wk_f(void);\n"), Does.Contain("return type of function 'wk_f'"));

    [Test]
    public void StructFromASystemHeaderIsRejected() =>
        Assert.That(TestHeaders.Fail("#include <time.h>\nWK_API wk_status wk_f(struct timespec* t);\n"),
            Does.Contain("outside the bound header"));

    [Test]
    public void UnionsAreRejected() =>
        Assert.That(TestHeaders.Fail("typedef union wk_u { int32_t i; float f; } wk_u;\n"), Does.Contain("unions are not supported"));

    [Test]
    public void VariadicFunctionsAreRejected() =>
        Assert.That(TestHeaders.Fail("WK_API wk_status wk_log(const char* format, ...);\n"), Does.Contain("wk_log is variadic"));

    [Test]
    public void FunctionsWithoutPrototypeAreRejected() =>
        Assert.That(TestHeaders.Fail("WK_API wk_status wk_init();\n"), Does.Contain("write wk_init(void)"));

    [Test]
    public void GlobalVariablesAreRejected() =>
        Assert.That(TestHeaders.Fail("extern int32_t wk_counter;\n"), Does.Contain("global variables cannot be bound"));

    [Test]
    public void ParseErrorFailsWithTheDiagnostic()
    {
        string message = TestHeaders.Fail("WK_API wk_status wk_f(wk_undeclared_t x);\n");

        Assert.That(message, Does.Contain("does not parse as C11"));
        Assert.That(message, Does.Contain("unknown type name 'wk_undeclared_t'"));
    }

    [Test]
    public void SizeTWithoutStddefIsAParseError_NotASilentInt()
    {
        string message = TestHeaders.Fail("int f(size_t n);\n", withPrelude: false);

        Assert.That(message, Does.Contain("unknown type name 'size_t'"));
    }

    [Test]
    public void MissingHeaderFileIsReported()
    {
        var error = Assert.Throws<GeneratorException>(() =>
            Generator.Generate(Path.Combine(TestHeaders.TempRoot, "missing", "nothing.h"), [], TextWriter.Null));

        Assert.That(error!.Message, Does.StartWith("Header not found:"));
    }
}
