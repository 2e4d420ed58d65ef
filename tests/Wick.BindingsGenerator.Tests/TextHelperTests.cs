using System;

namespace Wick.BindingsGenerator.Tests;

/// <summary>The small text utilities, without libclang.</summary>
[TestFixture]
public sealed class TextHelperTests
{
    [TestCase("wk_status  f( int32_t a ,\n    int64_t* b )", "wk_status f(int32_t a, int64_t* b)")]
    [TestCase("void (*cb)( void )", "void (*cb)(void)")]
    public void SignaturesAreWhitespaceNormalised(string raw, string expected) =>
        Assert.That(SignatureReader.Normalise(raw), Is.EqualTo(expected));

    [TestCase("16", 16, false)]
    [TestCase("0x10", 16, false)]
    [TestCase("020", 16, false)]
    [TestCase("0b10000", 16, false)]
    [TestCase("16u", 16, true)]
    [TestCase("16ULL", 16, true)]
    [TestCase("0", 0, false)]
    public void IntegerLiteralsParse(string literal, long expected, bool isUnsigned)
    {
        Assert.That(CIntegerLiteral.TryParse(literal, out Int128 value, out bool unsigned), Is.True);
        Assert.That(value, Is.EqualTo((Int128)expected));
        Assert.That(unsigned, Is.EqualTo(isUnsigned));
    }

    [TestCase("1.5")]
    [TestCase("0x")]
    [TestCase("09")]
    [TestCase("\"text\"")]
    [TestCase("99999999999999999999999")]
    public void NonIntegersAreNotLiterals(string literal) =>
        Assert.That(CIntegerLiteral.TryParse(literal, out _, out _), Is.False);

    [Test]
    public void DiffShowsTheChangedLinesWithContext()
    {
        string diff = OutputDiff.Describe("a\nb\nc\nd\n", "a\nb\nX\nd\n", "old", "new");

        Assert.That(diff, Is.EqualTo("--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+X\n d\n"));
    }

    [Test]
    public void CommentDelimitersAndStarsAreRemoved() =>
        Assert.That(CommentIndex.CleanLines("/* First line\n * second line. */"), Is.EqualTo(new[] { "First line", "second line." }));
}
