// Wick's build: `dotnet tool restore && dotnet cake --target=<Target>`.
// Default target: Demo (the main job). Every target is idempotent and incremental.

var target = Argument("target", "Demo");
var configuration = Argument("configuration", "Release");

var root = MakeAbsolute(Directory("."));
var artifacts = root.Combine("artifacts");
var packages = artifacts.Combine("packages");
var header = "native/include/wick/wick.h";
var generated = "bindings/Wick.Native/NativeMethods.g.cs";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

// Runs a program and fails the build with its exit code.
void Run(string program, string arguments, IDictionary<string, string> env = null)
{
    Information($"> {program} {arguments}");
    var settings = new ProcessSettings { Arguments = arguments, WorkingDirectory = root };
    if (env != null) settings.EnvironmentVariables = env;
    int code = StartProcess(program, settings);
    if (code != 0) throw new Exception($"{program} exited with code {code}");
}

bool HasNinja()
{
    try { return StartProcess("ninja", new ProcessSettings { Arguments = "--version", RedirectStandardOutput = true }) == 0; }
    catch { return false; }
}

// Configures (once) and builds native/ into artifacts/obj/native/<config>.
void BuildNative(string config, string cmakeArgs)
{
    var dir = artifacts.Combine("obj/native").Combine(config);
    if (!FileExists(dir.CombineWithFilePath("CMakeCache.txt")))
    {
        var generator = HasNinja() ? "-G Ninja " : "";
        Run("cmake", $"-S native -B \"{dir}\" {generator}{cmakeArgs}");
    }
    Run("cmake", $"--build \"{dir}\"");
}

void RunGenerator(bool check)
{
    Run("dotnet", $"run --project bindings/Wick.BindingsGenerator -c {configuration} -- --header {header} --output {generated}" + (check ? " --check" : ""));
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

Task("Native")
    .Description("Builds libwick (and libwick_cuda where nvcc is found) with CMake, then runs the native tests.")
    .Does(() =>
{
    BuildNative("Release", "-DCMAKE_BUILD_TYPE=Release -DWICK_CUDA=AUTO");
    Run("ctest", $"--test-dir \"{artifacts.Combine("obj/native/Release")}\" --output-on-failure");
});

Task("Generate")
    .Description("Regenerates the P/Invoke declarations from wick.h with libclang.")
    .Does(() => RunGenerator(check: false));

Task("VerifyGenerated")
    .Description("Fails when the checked-in declarations differ from a fresh generation.")
    .Does(() => RunGenerator(check: true));

Task("Build")
    .Description("Builds the native library and every .NET project.")
    .IsDependentOn("Native")
    .Does(() => Run("dotnet", $"build Wick.slnx -c {configuration}"));

Task("Test")
    .Description("Runs every test: native (ctest) and .NET (NUnit).")
    .IsDependentOn("Native")
    .Does(() => Run("dotnet", $"test --solution Wick.slnx -c {configuration}"));

Task("AsanTest")
    .Description("Runs the .NET test suite against libwick built with AddressSanitizer and UBSan.")
    .Does(() =>
{
    BuildNative("Asan", "-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWICK_SANITIZE=ON -DWICK_CUDA=OFF");
    Run("ctest", $"--test-dir \"{artifacts.Combine("obj/native/Asan")}\" --output-on-failure");
    var libasan = RunCapture("g++", "-print-file-name=libasan.so").Trim();
    var env = new Dictionary<string, string>
    {
        // The .NET host is not instrumented: preload the runtime, and leave signals and leaks to the host.
        ["LD_PRELOAD"] = libasan,
        ["ASAN_OPTIONS"] = "detect_leaks=0:handle_segv=0:use_sigaltstack=0:allocator_may_return_null=1:halt_on_error=1",
        ["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1",
    };
    Run("dotnet", $"test --project tests/Wick.Tests/Wick.Tests.csproj -c {configuration} -p:WickNativeConfig=Asan", env);
});

string RunCapture(string program, string arguments)
{
    IEnumerable<string> output;
    int code = StartProcess(program, new ProcessSettings { Arguments = arguments, RedirectStandardOutput = true }, out output);
    if (code != 0) throw new Exception($"{program} {arguments} exited with code {code}");
    return string.Join("\n", output);
}

Task("Pack")
    .Description("Packs Wick, Wick.FSharp, Wick.Runtime.<rid>, Wick.Cpu (and Wick.Runtime.Cuda.<rid> where libwick_cuda was built) into artifacts/packages.")
    .IsDependentOn("Native")
    .Does(() =>
{
    CleanDirectory(packages);
    string repository = RepositoryUrlProperty();
    foreach (var project in new[] { "managed/Wick/Wick.csproj", "managed/Wick.FSharp/Wick.FSharp.fsproj",
                                    "managed/Wick.Runtime/Wick.Runtime.csproj", "managed/Wick.Cpu/Wick.Cpu.csproj" })
        Run("dotnet", $"pack {project} -c {configuration} -o \"{packages}\"{repository}");

    var cuda = NativeLibraryPath("libwick_cuda.so");
    if (FileExists(cuda))
    {
        // The description states what the backend needs on the machine: the CUDA libraries it links to.
        var needs = NeededLibraries(cuda).Where(n => n.StartsWith("libcu") || n.StartsWith("libnv")).ToList();
        string text = needs.Count == 0 ? "the CUDA runtime it was built with" : string.Join(" and ", needs);
        Run("dotnet", $"pack managed/Wick.Runtime.Cuda/Wick.Runtime.Cuda.csproj -c {configuration} -o \"{packages}\"{repository} \"-p:WickCudaNeeds={text}\"");
    }
    else
    {
        Information("Wick.Runtime.Cuda.linux-x64: skipped, libwick_cuda.so was not built (no nvcc on this machine).");
    }
    foreach (var package in GetFiles($"{packages}/*.nupkg"))
        Information($"{package.GetFilename(),-45} {new System.IO.FileInfo(package.FullPath).Length / 1024.0 / 1024.0,8:F2} MB");
});

// " -p:RepositoryUrl=<origin>" when this clone has an origin remote; the commit is added by the SDK.
string RepositoryUrlProperty()
{
    IEnumerable<string> output;
    int code = StartProcess("git", new ProcessSettings { Arguments = "remote get-url origin", RedirectStandardOutput = true, RedirectStandardError = true }, out output);
    string url = code == 0 ? string.Join("", output).Trim() : "";
    return url.Length == 0 || url.Contains(' ') ? "" : $" -p:RepositoryUrl={url}";
}

FilePath NativeLibraryPath(string file) => artifacts.Combine("obj/native/Release").CombineWithFilePath(file);

// The DT_NEEDED entries of an ELF shared library.
List<string> NeededLibraries(FilePath library) =>
    System.Text.RegularExpressions.Regex.Matches(RunCapture("readelf", $"-d \"{library}\""), @"\(NEEDED\).*\[(.+?)\]")
        .Select(m => m.Groups[1].Value).ToList();

Task("CheckSymbols")
    .Description("Fails when the native runtime needs a library beyond glibc, the C++ runtime, or a glibc symbol newer than 2.28.")
    .Does(() =>
{
    BuildNative("Release", "-DCMAKE_BUILD_TYPE=Release -DWICK_CUDA=AUTO");
    var maxGlibc = new Version(2, 28);
    var glibcParts = new HashSet<string> { "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1" };
    var problems = new List<string>();
    foreach (var name in new[] { "libwick.so", "libwick_cuda.so" })
    {
        var library = NativeLibraryPath(name);
        if (!FileExists(library)) { Information($"{name}: not built, not checked"); continue; }
        bool cuda = name == "libwick_cuda.so";
        var needed = NeededLibraries(library);
        foreach (var n in needed)
        {
            bool allowed = glibcParts.Contains(n) || (cuda && (n == "libwick.so" || n.StartsWith("libcu") || n.StartsWith("libnv")));
            if (!allowed) problems.Add($"{name} needs {n}: link it statically or drop the dependency");
        }
        Version newest = new Version(0, 0);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(
                     RunCapture("readelf", $"-W --dyn-syms \"{library}\""), @"\s(\S+?)@{1,2}(GLIBC|GLIBCXX|CXXABI|GCC)_([0-9.]+)"))
        {
            string symbol = m.Groups[1].Value, family = m.Groups[2].Value;
            var version = Version.Parse(m.Groups[3].Value.Contains('.') ? m.Groups[3].Value : m.Groups[3].Value + ".0");
            if (family != "GLIBC") problems.Add($"{name} imports {symbol}@{family}_{m.Groups[3].Value}: the C++ runtime must be linked statically");
            else if (version > maxGlibc) problems.Add($"{name} imports {symbol}@GLIBC_{m.Groups[3].Value}, newer than 2.28: add it to cmake/WickGlibcCompat.cmake and native/src/core/platform/glibc/glibc_compat.cpp");
            else if (version > newest) newest = version;
        }
        Information($"{name}: {new System.IO.FileInfo(library.FullPath).Length / 1024.0 / 1024.0:F2} MB, needs {string.Join(", ", needed)}; newest glibc symbol version {newest}");
    }
    if (problems.Count > 0) throw new Exception("CheckSymbols failed:\n  " + string.Join("\n  ", problems));
    Information("CheckSymbols: the runtime needs nothing beyond glibc 2.28.");
});

Task("Demo")
    .Description("The main job: builds everything and runs the quickstart against the packed packages.")
    .IsDependentOn("Pack")
    .Does(() => Run("dotnet", "run --project examples/Quickstart -c Release"));

RunTarget(target);
