using System;

namespace Wick.BindingsGenerator.Tests;

[TestFixture]
public sealed class FunctionTests
{
    [Test]
    public void EachFunctionHasItsCSignatureLine_ThenLibraryImportAndCdecl()
    {
        string generated = TestHeaders.Generate("""
            typedef struct wk_tensor_s* wk_tensor;
            WK_API wk_status wk_tensor_retain(wk_tensor t);
            """);

        Assert.That(TestHeaders.Function(generated, "wk_tensor_retain"), Is.EqualTo("""
            // C: wk_status wk_tensor_retain(wk_tensor t)
            [LibraryImport(LibraryName, EntryPoint = "wk_tensor_retain")]
            [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
            internal static partial wk_status wk_tensor_retain(nint t);
            """));
    }

    [Test]
    public void SignatureLineIsWhitespaceNormalised_WithoutExportMacroOrComments()
    {
        string generated = TestHeaders.Generate("""
            typedef struct wk_tensor_s* wk_tensor;
            WK_API wk_status   wk_tensor_empty(const int64_t* sizes,   int32_t ndim, /* may be 0 */
                                             wk_tensor* out
                                             );
            """);

        Assert.That(generated, Does.Contain(
            "    // C: wk_status wk_tensor_empty(const int64_t* sizes, int32_t ndim, wk_tensor* out)\n" +
            "    [LibraryImport(LibraryName, EntryPoint = \"wk_tensor_empty\")]\n"));
    }

    [Test]
    public void ParameterNamesThatAreCSharpKeywordsGetAnAt()
    {
        string generated = TestHeaders.Generate("WK_API wk_status wk_f(int32_t in, int32_t* out, const char* string, int32_t value);\n");

        Assert.That(generated, Does.Contain("wk_f(int @in, int* @out, byte* @string, int value);"));
    }

    [Test]
    public void UnnamedParametersGetPositionalNames()
    {
        string generated = TestHeaders.Generate("WK_API wk_status wk_f(int32_t, double);\n");

        Assert.That(generated, Does.Contain("wk_f(int arg0, double arg1);"));
    }

    [Test]
    public void CommentDirectlyAboveBecomesDocComment_EscapedForXml()
    {
        string generated = TestHeaders.Generate("""
            /* Section banner: separated by a blank line, so it documents nothing. */

            /* Returns 1 when a < b && b > 0. */
            WK_API wk_status wk_less(int32_t a, int32_t b, int32_t* result);
            """);

        Assert.That(generated, Does.Contain("""
                /// <summary>
                /// Returns 1 when a &lt; b &amp;&amp; b &gt; 0.
                /// </summary>
                // C: wk_status wk_less(int32_t a, int32_t b, int32_t* result)
            """));
        Assert.That(generated, Does.Not.Contain("Section banner"));
    }

    [Test]
    public void DeclarationsKeepHeaderOrder()
    {
        string generated = TestHeaders.Generate("""
            WK_API wk_status wk_zeta(void);
            typedef enum wk_b { WK_B0 = 0 } wk_b;
            WK_API wk_status wk_alpha(void);
            typedef struct wk_a { int32_t x; } wk_a;
            WK_API wk_status wk_mid(void);
            """);

        int Index(string text) => generated.IndexOf(text, StringComparison.Ordinal);
        Assert.That(Index("wk_zeta("), Is.LessThan(Index("wk_alpha(")));
        Assert.That(Index("wk_alpha("), Is.LessThan(Index("wk_mid(")));
        Assert.That(Index("enum wk_status"), Is.LessThan(Index("enum wk_b")));
        Assert.That(Index("enum wk_b"), Is.LessThan(Index("struct wk_a")));
    }

    [Test]
    public void StaticAssertionsAndTypedefsProduceNothingOfTheirOwn()
    {
        string generated = TestHeaders.Generate("""
            typedef enum wk_dtype { WK_DTYPE_F32 = 0, WK_DTYPE_COUNT = 1 } wk_dtype;
            _Static_assert(WK_DTYPE_COUNT == 1, "append new dtypes before COUNT");
            typedef int64_t wk_index;
            """);

        Assert.That(generated, Does.Not.Contain("_Static_assert"));
        Assert.That(generated, Does.Not.Contain("wk_index"));
        Assert.That(generated, Does.Contain("internal enum wk_dtype : int"));
    }

    [Test]
    public void StaticInlineHelpersAreNotBound_AndRedeclarationsAppearOnce()
    {
        string generated = TestHeaders.Generate("""
            static inline int32_t wk_helper(int32_t x) { return x + 1; }
            WK_API wk_status wk_once(void);
            WK_API wk_status wk_once(void);
            """);

        Assert.That(generated, Does.Not.Contain("wk_helper"));
        Assert.That(generated.Split("partial wk_status wk_once(").Length - 1, Is.EqualTo(1));
    }
}
