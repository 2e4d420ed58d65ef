using System;

namespace Wick.BindingsGenerator;

/// <summary>
/// A reason the header cannot be turned into bindings (parse error, unmappable type, missing libclang).
/// The message is meant for the person who edited the header: it names the declaration and the fix.
/// </summary>
internal sealed class GeneratorException(string message) : Exception(message);
