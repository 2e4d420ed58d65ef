using System;
using System.Text;

namespace Wick;

/// <summary>Readable node names from the native op enums: WK_UNARY_LEAKY_RELU gives "LeakyRelu".</summary>
internal static class OpNames
{
    public static string[] Table<TEnum>(string prefix, int count) where TEnum : struct, Enum
    {
        var names = new string[count];
        for (int i = 0; i < count; ++i)
        {
            string raw = ((TEnum)(object)i).ToString();
            names[i] = Pascal(raw.StartsWith(prefix, StringComparison.Ordinal) ? raw[prefix.Length..] : raw) + "Backward";
        }
        return names;
    }

    private static string Pascal(string upperSnake)
    {
        var sb = new StringBuilder(upperSnake.Length);
        foreach (string part in upperSnake.Split('_', StringSplitOptions.RemoveEmptyEntries))
            sb.Append(part[0]).Append(part[1..].ToLowerInvariant());
        return sb.ToString();
    }
}
