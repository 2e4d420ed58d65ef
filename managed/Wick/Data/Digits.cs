using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace Wick.Data;

/// <summary>
/// The 8×8 optical digits data set, embedded in Wick: 1,797 handwritten digits (0-9) as 8×8 images of
/// values 0..16 (E. Alpaydin, C. Kaynak, 1998; the copy scikit-learn ships, BSD-3-Clause, licence in
/// Data/Embedded/DIGITS-LICENSE.txt). Small enough to train a classifier in seconds on any machine.
/// </summary>
public static class Digits
{
    /// <summary>The number of samples.</summary>
    public const int SampleCount = 1797;

    private const string Resource = "Wick.Data.digits.csv.gz";

    /// <summary>
    /// The whole set as a <see cref="TensorDataset"/> of images (float32, [1797, 1, 8, 8], scaled to [0, 1])
    /// and labels (int64, [1797]).
    /// </summary>
    public static TensorDataset Load()
    {
        (float[] pixels, long[] labels) = Parse();
        using var images = Tensor.FromSpan<float>(pixels, new long[] { SampleCount, 1, 8, 8 });
        using var targets = Tensor.FromSpan<long>(labels, new long[] { SampleCount });
        return new TensorDataset(images, targets);
    }

    /// <summary>
    /// A train/test split of the set: <paramref name="testCount"/> samples chosen at random (the same ones
    /// for the same <paramref name="seed"/>) form the test set, the rest the training set.
    /// </summary>
    public static (TensorDataset Train, TensorDataset Test) LoadSplit(int testCount = 360, ulong seed = 0)
    {
        if (testCount <= 0 || testCount >= SampleCount)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, $"Digits.LoadSplit: testCount must be between 1 and {SampleCount - 1}");
        using TensorDataset all = Load();
        long[] perm = Shuffle.Permutation(SampleCount, new SplitMix64(seed));
        var train = all.GetBatch(perm.AsSpan(testCount));
        var test = all.GetBatch(perm.AsSpan(0, testCount));
        try
        {
            return (new TensorDataset(train), new TensorDataset(test));
        }
        finally
        {
            foreach (var t in train) t.Dispose();
            foreach (var t in test) t.Dispose();
        }
    }

    private static (float[] Pixels, long[] Labels) Parse()
    {
        using Stream? resource = typeof(Digits).Assembly.GetManifestResourceStream(Resource);
        if (resource is null) throw new InvalidOperationException($"Digits: the embedded resource {Resource} is missing from the Wick assembly");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new float[SampleCount * 64];
        var labels = new long[SampleCount];
        for (int i = 0; i < SampleCount; ++i)
        {
            string line = reader.ReadLine() ?? throw new InvalidDataException($"Digits: the embedded data ends after {i} of {SampleCount} samples");
            string[] fields = line.Split(',');
            if (fields.Length != 65) throw new InvalidDataException($"Digits: line {i + 1} of the embedded data has {fields.Length} fields, expected 65");
            for (int k = 0; k < 64; ++k) pixels[i * 64 + k] = float.Parse(fields[k], CultureInfo.InvariantCulture) / 16f;
            labels[i] = long.Parse(fields[64], CultureInfo.InvariantCulture);
        }
        return (pixels, labels);
    }
}

/// <summary>
/// Fashion-MNIST (Zalando; 60,000 training and 10,000 test images of clothing, 28×28, 10 classes) and
/// MNIST, read from the standard IDX files (raw or .gz). On Debian, <c>apt install dataset-fashion-mnist</c>
/// puts Fashion-MNIST in <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, by label.</summary>
    public static readonly string[] Classes =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <summary>True when the four IDX files are in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    public static bool IsAvailable(string? directory = null)
    {
        string dir = directory ?? DefaultDirectory;
        foreach (string stem in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            if (FindFile(dir, stem) is null) return false;
        return true;
    }

    /// <summary>
    /// The training (or test) split as a <see cref="TensorDataset"/> of images (float32, [N, 1, 28, 28], scaled to
    /// [0, 1]) and labels (int64, [N]). Works for MNIST's files too (same names and format).
    /// </summary>
    public static TensorDataset Load(string? directory = null, bool train = true)
    {
        string dir = directory ?? DefaultDirectory;
        string prefix = train ? "train" : "t10k";
        string imagesPath = FindFile(dir, $"{prefix}-images-idx3-ubyte")
            ?? throw new FileNotFoundException($"FashionMnist: no {prefix}-images-idx3-ubyte(.gz) in {dir}; on Debian: apt install dataset-fashion-mnist");
        string labelsPath = FindFile(dir, $"{prefix}-labels-idx1-ubyte")
            ?? throw new FileNotFoundException($"FashionMnist: no {prefix}-labels-idx1-ubyte(.gz) in {dir}");
        using Tensor rawImages = Idx.Read(imagesPath);
        using Tensor rawLabels = Idx.Read(labelsPath);
        if (rawImages.Dim != 3 || rawImages.DType != DType.UInt8)
            throw new InvalidDataException($"{imagesPath}: expected a 3-d UInt8 image array, got {rawImages.DType} of shape [{string.Join(", ", rawImages.Shape)}]");
        if (rawLabels.Dim != 1 || rawLabels.DType != DType.UInt8)
            throw new InvalidDataException($"{labelsPath}: expected a 1-d UInt8 label array, got {rawLabels.DType} of shape [{string.Join(", ", rawLabels.Shape)}]");
        if (rawLabels.Size(0) != rawImages.Size(0))
            throw new InvalidDataException($"{labelsPath}: {rawLabels.Size(0)} labels for {rawImages.Size(0)} images in {imagesPath}");
        long[] s = rawImages.Shape;
        using Tensor floats = rawImages.To(DType.Float32);
        using Tensor scaled = floats.Div(255.0);
        using Tensor images = scaled.Reshape(s[0], 1, s[1], s[2]);
        using Tensor labels = rawLabels.To(DType.Int64);
        return new TensorDataset(images, labels);
    }

    private static string? FindFile(string directory, string stem)
    {
        foreach (string name in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal) })
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
