using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Wick.IO;
using static Wick.Tests.IO.SafetensorsSpec;

namespace Wick.Tests.IO;

/// <summary>
/// Hand-made hostile files: each must be refused with a SafetensorsFormatException whose message names
/// the specific problem, both from a file and from memory, without crashing or allocating what the
/// file claims.
/// </summary>
public class SafetensorsMaliciousFileTests
{
    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static byte[] Header(string json, int dataBytes = 0) => File(json, new byte[dataBytes]);

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, byte[] bytes, string message) => new TestCaseData(bytes, message).SetName(name);

        yield return Case("Empty file", Array.Empty<byte>(), "shorter than the 8-byte header length");
        yield return Case("Truncated length field", new byte[] { 16, 0, 0 }, "it is 3 bytes long, shorter than the 8-byte header length");
        yield return Case("Header length of zero", Raw(0, Encoding.UTF8.GetBytes("{}")), "the header length is 0 bytes");
        yield return Case("Header length past the end of the file", Raw(64, Encoding.UTF8.GetBytes("{}")), "the header length is 64 bytes, but only 2 bytes follow");
        yield return Case("Huge header length (1 TB)", Raw(1UL << 40, Encoding.UTF8.GetBytes("{}")), "over the 100000000-byte limit");
        yield return Case("Header length that overflows the offset arithmetic", Raw(ulong.MaxValue - 3, Encoding.UTF8.GetBytes("{}")), "over the 100000000-byte limit");
        yield return Case("Header that is not JSON", File("GARBAGE!", Array.Empty<byte>()), "does not start with '{' (found byte 0x47)");
        yield return Case("Header that is not UTF-8", Raw(4, new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }), "not valid UTF-8 (byte 0xC3 at header offset 1)");
        yield return Case("Truncated JSON", Header("{\"a\":{\"dtype\":\"F32\""), "the header is not valid JSON");
        yield return Case("Content after the JSON object", Header("{} {}"), "not valid JSON");
        yield return Case("Deeply nested JSON", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":" + new string('[', 5000) + new string(']', 5000) + "}}"), "maximum configured depth of 3");
        yield return Case("Duplicate tensor names",
            Header("{" + Entry("w", "U8", "[1]", 0, 1) + "," + Entry("w", "U8", "[1]", 1, 2) + "}", 2), "names tensor 'w' twice");
        yield return Case("Duplicate metadata", Header("{\"__metadata__\":{},\"__metadata__\":{}}"), "two \"__metadata__\" entries");
        yield return Case("Duplicate field in an entry",
            Header("{\"w\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "tensor 'w' has two \"dtype\" fields");
        yield return Case("Unknown dtype", Header("{" + Entry("w", "F33", "[1]", 0, 4) + "}", 4), "tensor 'w' has the unknown dtype \"F33\"");
        yield return Case("Format dtype Wick cannot hold", Header("{" + Entry("w", "U16", "[1]", 0, 2) + "}", 2), "has dtype U16, which Wick cannot hold");
        yield return Case("Missing data_offsets", Header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w' has no \"data_offsets\"");
        yield return Case("Unknown field in an entry",
            Header("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"external\":\"/etc/passwd\"}}", 1), "unknown field \"external\"");
        yield return Case("Entry that is not an object", Header("{\"w\":[1,2,3]}"), "the entry of tensor 'w' is an array");
        yield return Case("Negative dimension", Header("{" + Entry("w", "F32", "[-1]", 0, 4) + "}", 4), "holds -1, which is not an integer from 0");
        yield return Case("Fractional dimension", Header("{" + Entry("w", "F32", "[1.5]", 0, 4) + "}", 4), "holds 1.5, which is not an integer");
        yield return Case("Dimension beyond 64 bits", Header("{" + Entry("w", "F32", "[18446744073709551616]", 0, 4) + "}", 4), "not an integer from 0 to 9223372036854775807");
        yield return Case("Shape whose byte size overflows", Header("{" + Entry("w", "F32", "[4294967296,4294967296,16]", 0, 4) + "}", 4), "whose byte size overflows a 64-bit integer");
        yield return Case("Too many dimensions", Header("{" + Entry("w", "U8", "[" + string.Join(",", Enumerable.Repeat(1, 17)) + "]", 0, 1) + "}", 1), "has more than 16 dimensions; Wick supports at most 16");
        yield return Case("Shape and byte length disagree", Header("{" + Entry("w", "F32", "[3]", 0, 8) + "}", 8), "which need 12 bytes, but its data_offsets [0, 8] hold 8");
        yield return Case("Reversed offsets", Header("{" + Entry("w", "U8", "[0]", 4, 0) + "}", 4), "begin is after end");
        yield return Case("Offsets past the end of the file", Header("{" + Entry("w", "F32", "[1000000000]", 0, 4000000000) + "}", 16), "past the end of the data section (16 bytes)");
        yield return Case("Offsets that wrap around 64 bits", Header("{" + Entry("w", "U8", "[1]", long.MaxValue, long.MaxValue) + "}", 1), "past the end of the data section");
        yield return Case("Overlapping tensors",
            Header("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12), "'a' [0, 8] and 'b' [4, 12] overlap");
        yield return Case("Aliased tensors (same bytes twice)",
            Header("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 0, 8) + "}", 8), "overlap");
        yield return Case("Gap between tensors", Header("{" + Entry("a", "U8", "[2]", 0, 2) + "," + Entry("b", "U8", "[2]", 4, 6) + "}", 6), "bytes 2 to 4 of the data section belong to no tensor");
        yield return Case("Trailing bytes after the last tensor (polyglot)", Header("{" + Entry("a", "U8", "[2]", 0, 2) + "}", 100), "the last 98 bytes of the data section (from byte 2) belong to no tensor");
        yield return Case("Metadata value that is not a string", Header("{\"__metadata__\":{\"epoch\":3}}"), "metadata value 'epoch' is a number");
        yield return Case("Data_offsets with one number", Header("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", 1), "must be two numbers [begin, end], but it has 1");
        yield return Case("Data_offsets with three numbers", Header("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1), "must be two numbers [begin, end], but it has more");
        yield return Case("Boolean byte other than 0 or 1", File("{" + Entry("m", "BOOL", "[3]", 0, 3) + "}", new byte[] { 1, 0, 7 }), "element 2 is the byte 7; booleans must be 0 or 1");
        yield return Case("Lone surrogate escape in a name", Header("{\"\\ud800\":{}}"), "not valid Unicode");
    }

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedWithASpecificMessage(byte[] bytes, string message)
    {
        var fromMemory = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(bytes));
        Assert.That(fromMemory!.Message, Does.StartWith("safetensors: <bytes>: ").And.Contain(message));

        string path = Path.Combine(Path.GetTempPath(), $"wick-malicious-{Guid.NewGuid():N}.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        try
        {
            long liveBefore = Memory.Stats().LiveTensors;
            var fromFile = Assert.Throws<SafetensorsFormatException>(() => Safetensors.LoadFile(path));
            Assert.That(fromFile!.Message, Does.StartWith($"safetensors: {path}: ").And.Contain(message));
            Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(liveBefore), "tensors made before the error are freed");
        }
        finally { System.IO.File.Delete(path); }
    }

    [Test]
    public void TheCaseListCoversAtLeastFifteenDistinctAttacks()
    {
        Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(15));
    }
}
