namespace Wick.BindingsGenerator.Tests;

[TestFixture]
public sealed class StructTests
{
    [Test]
    public void ScalarStructIsSequentialWithExactFieldTypes()
    {
        string generated = TestHeaders.Generate("""
            typedef struct wk_value {
                int32_t kind;
                uint8_t flag;
                double f;
                int64_t i;
                size_t n;
                float x;
            } wk_value;
            """);

        Assert.That(TestHeaders.Block(generated, "[StructLayout"), Is.EqualTo("""
            [StructLayout(LayoutKind.Sequential)]
            internal struct wk_value
            {
                public int kind;
                public byte flag;
                public double f;
                public long i;
                public nuint n;
                public float x;
            }
            """));
    }

    [Test]
    public void FixedSizeArrayOfScalarsBecomesFixedBuffer_AndTheStructUnsafe()
    {
        string generated = TestHeaders.Generate("""
            #define WK_MAX_DIMS 16
            typedef struct wk_shape { int32_t ndim; int64_t sizes[WK_MAX_DIMS]; } wk_shape;
            """);

        Assert.That(TestHeaders.Block(generated, "[StructLayout"), Is.EqualTo("""
            [StructLayout(LayoutKind.Sequential)]
            internal unsafe struct wk_shape
            {
                public int ndim;
                public fixed long sizes[16];
            }
            """));
    }

    [Test]
    public void StructUsedByPointerKeepsItsName()
    {
        string generated = TestHeaders.Generate("""
            typedef struct wk_scalar { int32_t kind; int32_t unused; double f; int64_t i; } wk_scalar;
            WK_API wk_status wk_fill(const wk_scalar* value);
            """);

        Assert.That(generated, Does.Contain("internal static partial wk_status wk_fill(wk_scalar* value);"));
    }

    [Test]
    public void PackedStructIsRejected_BecauseSequentialLayoutWouldDiffer()
    {
        string message = TestHeaders.Fail("""
            typedef struct __attribute__((packed)) wk_packed { uint8_t a; int64_t b; } wk_packed;
            """);

        Assert.That(message, Does.Contain("struct wk_packed is not laid out naturally"));
        Assert.That(message, Does.Contain("field 'b' is at byte 1"));
    }

    [Test]
    public void BitFieldIsRejected()
    {
        string message = TestHeaders.Fail("typedef struct wk_bits { uint32_t a : 3; } wk_bits;\n");

        Assert.That(message, Does.Contain("bit-field 'a' in struct wk_bits"));
    }

    [Test]
    public void ArrayOfEnumsCannotBeAFixedBuffer()
    {
        string message = TestHeaders.Fail("typedef struct wk_many { wk_status s[2]; } wk_many;\n");

        Assert.That(message, Does.Contain("field 's' of struct 'wk_many'"));
        Assert.That(message, Does.Contain("fixed-size buffers hold only primitive numbers"));
    }
}
