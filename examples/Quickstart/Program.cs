// C# quickstart: tensors, operators, views, reductions and safetensors, on the packed packages.
using System;
using System.Collections.Generic;
using System.IO;
using Wick;
using Wick.IO;

using var scope = DisposeScope.Begin();          // frees every tensor made inside
var x = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
var y = (x * 2f + 1f).MatMul(x.T);
Console.WriteLine(y);
Console.WriteLine(y[0, 1..]);                    // views: C# indices and ranges
Console.WriteLine(y.Sum(dim: 1, keepDim: true));

string path = Path.Combine(Path.GetTempPath(), "wick-quickstart.safetensors");
Safetensors.SaveFile(new Dictionary<string, Tensor> { ["y"] = y }, path);
var loaded = Safetensors.LoadFile(path);
Console.WriteLine($"saved and loaded: {loaded["y"]}");
File.Delete(path);
