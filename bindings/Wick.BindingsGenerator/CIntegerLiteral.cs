using System;
using System.Globalization;

namespace Wick.BindingsGenerator;

/// <summary>Reads a C integer literal token: decimal, 0x hex, 0b binary or 0 octal, with u/l suffixes.</summary>
internal static class CIntegerLiteral
{
    internal static bool TryParse(string token, out Int128 value, out bool isUnsigned)
    {
        value = 0;
        isUnsigned = false;
        string text = token.Replace("'", "", StringComparison.Ordinal); // C23 digit separators
        int end = text.Length;
        while (end > 0 && text[end - 1] is 'u' or 'U' or 'l' or 'L')
        {
            if (text[end - 1] is 'u' or 'U') isUnsigned = true;
            end--;
        }
        text = text[..end];
        if (text.Length == 0) return false;

        int radix = 10;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) { radix = 16; text = text[2..]; }
        else if (text.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) { radix = 2; text = text[2..]; }
        else if (text.Length > 1 && text[0] == '0') { radix = 8; text = text[1..]; }
        if (text.Length == 0) return false;

        UInt128 result = 0;
        foreach (char c in text)
        {
            int digit = char.IsAsciiDigit(c) ? c - '0'
                : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10
                : -1;
            if (digit < 0 || digit >= radix) return false;
            result = checked(result * (UInt128)radix + (UInt128)digit);
            if (result > ulong.MaxValue) return false; // no C integer type holds more
        }
        value = (Int128)result;
        return true;
    }

    internal static string Format(Int128 value) => value.ToString(CultureInfo.InvariantCulture);
}
