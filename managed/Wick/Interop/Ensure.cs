using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.CompilerServices;
using Wick.Native;

namespace Wick.Interop;

/// <summary>
/// The only place where native status codes become exceptions: every call into the raw
/// declarations goes through <see cref="Ok"/>, which throws a typed exception carrying the
/// native message (the operation, the shapes or dtypes involved, and the fix).
/// </summary>
internal static unsafe class Ensure
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Ok(wk_status status)
    {
        if (status != wk_status.WK_OK) Throw(status);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(wk_status status)
    {
        string message = LastError();
        throw status switch
        {
            wk_status.WK_ERR_SHAPE => new ShapeMismatchException(message),
            wk_status.WK_ERR_DTYPE => new DTypeException(message),
            wk_status.WK_ERR_INDEX => new ArgumentOutOfRangeException(null, message),
            wk_status.WK_ERR_OUT_OF_MEMORY => new WickOutOfMemoryException(message),
            wk_status.WK_ERR_DEVICE => new DeviceException(message),
            wk_status.WK_ERR_NOT_IMPLEMENTED => new NotSupportedException(message),
            wk_status.WK_ERR_IO => new InvalidDataException(message),
            wk_status.WK_ERR_NULL_HANDLE => new ObjectDisposedException(nameof(Tensor), message),
            wk_status.WK_ERR_INVALID_ARGUMENT => new ArgumentException(message),
            _ => new WickInternalException($"{message} (status {(int)status})"),
        };
    }

    private static string LastError()
    {
        byte* text;
        if (NativeMethods.wk_last_error(&text) != wk_status.WK_OK || text == null) return "unknown native error";
        return new string((sbyte*)text);
    }
}
