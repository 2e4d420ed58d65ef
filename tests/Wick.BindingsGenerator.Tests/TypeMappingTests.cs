using System;
using System.Linq;

namespace Wick.BindingsGenerator.Tests;

/// <summary>The C → C# type table, one parameter at a time.</summary>
[TestFixture]
public sealed class TypeMappingTests
{
    private static string ParameterOf(string cParameter, string prelude = "")
    {
        string generated = TestHeaders.Generate($"{prelude}\nWK_API wk_status wk_f({cParameter});\n");
        string declaration = generated.Split('\n').Single(l => l.Contains("partial wk_status wk_f(", StringComparison.Ordinal));
        return declaration.Trim()["internal static partial wk_status wk_f(".Length..^");".Length];
    }

    [TestCase("int8_t v", "sbyte v")]
    [TestCase("uint8_t v", "byte v")]
    [TestCase("int16_t v", "short v")]
    [TestCase("uint16_t v", "ushort v")]
    [TestCase("int32_t v", "int v")]
    [TestCase("uint32_t v", "uint v")]
    [TestCase("int64_t v", "long v")]
    [TestCase("uint64_t v", "ulong v")]
    [TestCase("float v", "float v")]
    [TestCase("double v", "double v")]
    [TestCase("void* v", "void* v")]
    [TestCase("const void* v", "void* v")]
    [TestCase("void** v", "void** v")]
    [TestCase("const int64_t* v", "long* v")]
    [TestCase("const int64_t** v", "long** v")]
    [TestCase("int32_t v[]", "int* v")]
    public void FixedWidthTypesAndPointers(string c, string csharp) =>
        Assert.That(ParameterOf(c), Is.EqualTo(csharp));

    [Test]
    public void SizeTIsNuint_NeverInt() =>
        Assert.That(ParameterOf("size_t nbytes"), Is.EqualTo("nuint nbytes"));

    [Test]
    public void CharPointerIsBytePointer() =>
        Assert.That(ParameterOf("const char* name"), Is.EqualTo("byte* name"));

    [Test]
    public void ConstCharPointerPointerIsBytePointerPointer() =>
        Assert.That(ParameterOf("const char** message"), Is.EqualTo("byte** message"));

    [Test]
    public void OpaqueHandleIsNint() =>
        Assert.That(ParameterOf("wk_tensor t", "typedef struct wk_tensor_s* wk_tensor;"), Is.EqualTo("nint t"));

    [Test]
    public void PointerToHandleIsNintPointer() =>
        Assert.That(ParameterOf("wk_tensor* out", "typedef struct wk_tensor_s* wk_tensor;"), Is.EqualTo("nint* @out"));

    [Test]
    public void EnumIsPassedByName() =>
        Assert.That(ParameterOf("wk_status s"), Is.EqualTo("wk_status s"));

    [Test]
    public void TypedefOfAFixedWidthTypeIsFollowed() =>
        Assert.That(ParameterOf("wk_index i", "typedef int64_t wk_index;"), Is.EqualTo("long i"));

    [Test]
    public void FunctionPointerTypedefIsAnUnmanagedCdeclFunctionPointer() =>
        Assert.That(
            ParameterOf("wk_log_fn callback", "typedef void (*wk_log_fn)(int32_t level, const char* message, void* user);"),
            Is.EqualTo("delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback"));

    [Test]
    public void InlineFunctionPointerParameterIsMappedToo() =>
        Assert.That(ParameterOf("int32_t (*compare)(const void* a, const void* b)"),
            Is.EqualTo("delegate* unmanaged[Cdecl]<void*, void*, int> compare"));

    [Test]
    public void ReturnTypesAreMappedLikeParameters()
    {
        string generated = TestHeaders.Generate("WK_API size_t wk_count(void);\nWK_API void wk_nothing(void);\n");

        Assert.That(generated, Does.Contain("internal static partial nuint wk_count();"));
        Assert.That(generated, Does.Contain("internal static partial void wk_nothing();"));
    }
}
