using System;

namespace Wick;

/// <summary>Shapes that do not fit together (broadcasting, matmul, reshape, ...).</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    /// <summary>Creates the exception with the message describing both shapes and the operation.</summary>
    public ShapeMismatchException(string message) : base(message) { }
}

/// <summary>A dtype the operation does not support, or dtypes that cannot be combined.</summary>
public sealed class DTypeException : ArgumentException
{
    /// <summary>Creates the exception with the message naming the dtypes and the operation.</summary>
    public DTypeException(string message) : base(message) { }
}

/// <summary>A device that is not available, or tensors on different devices.</summary>
public sealed class DeviceException : InvalidOperationException
{
    /// <summary>Creates the exception with the message naming the devices.</summary>
    public DeviceException(string message) : base(message) { }
}

/// <summary>Memory could not be allocated on a device; the message includes its statistics.</summary>
public sealed class WickOutOfMemoryException : OutOfMemoryException
{
    /// <summary>Creates the exception.</summary>
    public WickOutOfMemoryException(string message) : base(message) { }
}

/// <summary>A bug inside Wick. Please report it with the message.</summary>
public sealed class WickInternalException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public WickInternalException(string message) : base(message) { }
}
