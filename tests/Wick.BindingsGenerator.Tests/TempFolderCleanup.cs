using System.IO;

namespace Wick.BindingsGenerator.Tests;

/// <summary>Removes the headers the tests wrote, once, after every test in the assembly has run.</summary>
[SetUpFixture]
public sealed class TempFolderCleanup
{
    [OneTimeTearDown]
    public void DeleteTestHeaders()
    {
        if (Directory.Exists(TestHeaders.TempRoot)) Directory.Delete(TestHeaders.TempRoot, recursive: true);
    }
}
