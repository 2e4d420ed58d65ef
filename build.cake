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

Task("Bench")
    .Description("Runs the benchmarks in bench/ (1 and 2 threads) with PyTorch measured in the same run; writes artifacts/bench/*.json.")
    .IsDependentOn("Native")
    .Does(() => Run("dotnet", $"run --project bench/Wick.Bench -c {configuration} -- --threads 1,2"));

Task("Pack")
    .Description("Packs Wick, Wick.Runtime.<rid> and Wick.Cpu into artifacts/packages.")
    .IsDependentOn("Native")
    .Does(() =>
{
    CleanDirectory(packages);
    foreach (var project in new[] { "managed/Wick/Wick.csproj", "managed/Wick.Runtime/Wick.Runtime.csproj" })
        Run("dotnet", $"pack {project} -c {configuration} -o \"{packages}\"");
});

Task("Demo")
    .Description("The main job: builds everything and runs the quickstart against the packed packages.")
    .IsDependentOn("Pack")
    .Does(() => Run("dotnet", "run --project examples/Quickstart -c Release"));

RunTarget(target);
