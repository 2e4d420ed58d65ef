using System;
using System.Collections.Generic;

namespace Wick.NN;

/// <summary>
/// A module with one input and one output. Override <see cref="Forward"/>; call <see cref="Forward"/> directly, or
/// <see cref="Call"/> to also run the forward hooks (containers such as <see cref="Sequential"/> use Call).
/// </summary>
public abstract class Module<TIn, TOut> : Module
{
    private List<Func<Module<TIn, TOut>, TIn, TIn>>? _preHooks;
    private List<Func<Module<TIn, TOut>, TIn, TOut, TOut>>? _hooks;

    /// <summary>The computation of the module.</summary>
    public abstract TOut Forward(TIn input);

    /// <summary>Runs the pre-hooks (which may replace the input), <see cref="Forward"/>, then the hooks (which may replace the output).</summary>
    public TOut Call(TIn input)
    {
        if (_preHooks is { Count: > 0 } pre)
            foreach (var h in pre.ToArray()) input = h(this, input);
        TOut output = Forward(input);
        if (_hooks is { Count: > 0 } post)
            foreach (var h in post.ToArray()) output = h(this, input, output);
        return output;
    }

    /// <summary>Registers a hook run by <see cref="Call"/> before Forward; it returns the input to use (the same one to only observe).</summary>
    public RemovableHandle RegisterForwardPreHook(Func<Module<TIn, TOut>, TIn, TIn> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_preHooks ??= new()).Add(hook);
        return new RemovableHandle(() => _preHooks.Remove(hook));
    }

    /// <summary>Registers a hook run by <see cref="Call"/> after Forward; it returns the output to use (the same one to only observe).</summary>
    public RemovableHandle RegisterForwardHook(Func<Module<TIn, TOut>, TIn, TOut, TOut> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_hooks ??= new()).Add(hook);
        return new RemovableHandle(() => _hooks.Remove(hook));
    }

    /// <summary>Registers an observing hook run by <see cref="Call"/> after Forward.</summary>
    public RemovableHandle RegisterForwardHook(Action<Module<TIn, TOut>, TIn, TOut> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return RegisterForwardHook((m, i, o) =>
        {
            hook(m, i, o);
            return o;
        });
    }
}

/// <summary>A module with two inputs and one output (losses: input and target).</summary>
public abstract class Module<TIn1, TIn2, TOut> : Module
{
    /// <summary>The computation of the module.</summary>
    public abstract TOut Forward(TIn1 input1, TIn2 input2);

    /// <summary>Same as <see cref="Forward"/> (modules with two inputs have no hooks).</summary>
    public TOut Call(TIn1 input1, TIn2 input2) => Forward(input1, input2);
}
