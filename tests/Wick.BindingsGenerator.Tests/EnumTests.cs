namespace Wick.BindingsGenerator.Tests;

[TestFixture]
public sealed class EnumTests
{
    [Test]
    public void EveryEnumValueIsWrittenExplicitly_EvenWhenCCountsImplicitly()
    {
        string generated = TestHeaders.Generate("""
            typedef enum wk_color { WK_RED, WK_GREEN = 5, WK_BLUE } wk_color;
            """);

        Assert.That(TestHeaders.Block(generated, "internal enum wk_color"), Is.EqualTo("""
            internal enum wk_color : int
            {
                WK_RED = 0,
                WK_GREEN = 5,
                WK_BLUE = 6,
            }
            """));
    }

    [Test]
    public void EnumWithoutNegativeValues_IsStillInt_AlthoughClangReportsUnsignedInt()
    {
        string generated = TestHeaders.Generate("typedef enum wk_small { WK_A = 0, WK_B = 2147483647 } wk_small;\n");

        Assert.That(generated, Does.Contain("internal enum wk_small : int"));
    }

    [Test]
    public void NegativeValuesAreKept()
    {
        string generated = TestHeaders.Generate("typedef enum wk_signed { WK_NEG = -2, WK_POS = 3 } wk_signed;\n");

        Assert.That(TestHeaders.Block(generated, "internal enum wk_signed"), Does.Contain("WK_NEG = -2,"));
    }

    [Test]
    public void ValuesBeyondInt_GetAnUnsignedBase()
    {
        string generated = TestHeaders.Generate("typedef enum wk_flags { WK_HIGH = 0x80000000u } wk_flags;\n");

        Assert.That(TestHeaders.Block(generated, "internal enum wk_flags"), Is.EqualTo("""
            internal enum wk_flags : uint
            {
                WK_HIGH = 2147483648,
            }
            """));
    }

    [Test]
    public void AnonymousEnumTakesItsTypedefName()
    {
        string generated = TestHeaders.Generate("""
            typedef enum { WK_MODE_A = 1 } wk_mode;
            WK_API wk_status wk_set_mode(wk_mode mode);
            """);

        Assert.That(generated, Does.Contain("internal enum wk_mode : int"));
        Assert.That(generated, Does.Contain("wk_set_mode(wk_mode mode);"));
    }

    [Test]
    public void TrailingCommentsOfMembersAreKept()
    {
        string generated = TestHeaders.Generate("""
            typedef enum wk_kind {
                WK_KIND_A = 0, /* the first */
                WK_KIND_B = 1
            } wk_kind;
            """);

        Assert.That(generated, Does.Contain("    WK_KIND_A = 0, // the first\n    WK_KIND_B = 1,\n"));
    }
}
