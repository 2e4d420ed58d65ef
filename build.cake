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

Task("CudaSyntax")
    .Description("Parses every CUDA source with clang in CUDA mode (host and device, to PTX) without a CUDA toolkit.")
    .Does(() => Run("bash", "scripts/cuda-syntax-check.sh"));

Task("CudaEmuTest")
    .Description("Runs the Cuda test category against libwick_cuda built on the CPU emulator (WICK_CUDA=EMULATE).")
    .Does(() => Run("dotnet", $"test --project tests/Wick.Tests/Wick.Tests.csproj -c {configuration} -p:WickNativeConfig=CudaEmu -- --filter TestCategory=Cuda"));

Task("Bench")
    .Description("Runs everything in bench/: Wick.Bench (kernels, 1 and 2 threads, PyTorch measured in the same run) and the startup bench; writes artifacts/bench/*.json.")
    .IsDependentOn("Native")
    .IsDependentOn("BenchStartup")
    .Does(() => Run("dotnet", $"run --project bench/Wick.Bench -c {configuration} -- --threads 1,2"));

Task("Pack")
    .Description("Packs Wick, Wick.FSharp, Wick.Runtime.<rid>, Wick.Cpu (and Wick.Runtime.Cuda.<rid> where libwick_cuda was built) into artifacts/packages.")
    .IsDependentOn("Native")
    .Does(() =>
{
    CleanDirectory(packages);
    // Restores of the examples keep 0.1.0 forever: drop their copies so they take the packages packed now.
    foreach (var stale in GetDirectories($"{artifacts}/examples/nuget/wick*")) DeleteDirectory(stale, new DeleteDirectorySettings { Recursive = true });
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

// fsi resolves packages into NUGET_PACKAGES and caches resolutions in ~/.packagemanagement: both are
// cleared (once per Cake run) so scripts see the packages packed now, not an earlier 0.1.0.
var fsiNuget = artifacts.Combine("examples/fsi-nuget");
var fsiRunners = artifacts.Combine("examples/fsi");
bool fsiCleared = false;

void ClearFsiCaches()
{
    if (fsiCleared) return;
    fsiCleared = true;
    if (DirectoryExists(fsiNuget)) DeleteDirectory(fsiNuget, new DeleteDirectorySettings { Recursive = true });
    var fsiCache = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".packagemanagement", "nuget");
    if (System.IO.Directory.Exists(fsiCache)) System.IO.Directory.Delete(fsiCache, recursive: true);
    EnsureDirectoryExists(fsiRunners);
}

// Runs an F# script against the packed packages: `#i` takes an absolute feed path only, so a one-line runner
// adds it and #loads the script unchanged.
void RunFsx(FilePath script, IDictionary<string, string> extraEnv = null)
{
    ClearFsiCaches();
    var runner = fsiRunners.CombineWithFilePath(script.GetFilename());
    System.IO.File.WriteAllText(runner.FullPath, $"#i \"nuget: {packages.FullPath}\"\n#load \"{MakeAbsolute(script).FullPath}\"\n");
    var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = fsiNuget.FullPath };
    if (extraEnv != null) foreach (var kv in extraEnv) env[kv.Key] = kv.Value;
    Run("dotnet", $"fsi \"{runner}\"", env);
}

// examples/train.fsx sized for CI: the embedded digits, 10 epochs, and a stated accuracy it must reach.
var trainCiEnv = new Dictionary<string, string> { ["WICK_DIGITS"] = "1", ["WICK_EPOCHS"] = "10", ["WICK_MIN_ACCURACY"] = "0.90" };

Task("Examples")
    .Description("Runs the F# scripts in examples/ with dotnet fsi against the freshly packed packages (train.fsx CI-sized), and the C# Train twin.")
    .IsDependentOn("Pack")
    .Does(() =>
{
    foreach (var script in GetFiles("examples/*.fsx").OrderBy(f => f.FullPath))
        RunFsx(script, script.GetFilename().ToString() == "train.fsx" ? trainCiEnv : null);
    Run("dotnet", $"run --project examples/Train -c {configuration} -- --digits --epochs 10 --min-accuracy 0.90");
    // With the managed package alone (its own package folder), the error must name the runtime package.
    var bareRoot = artifacts.Combine("examples/fsi-nuget-bare");
    if (DirectoryExists(bareRoot)) DeleteDirectory(bareRoot, new DeleteDirectorySettings { Recursive = true });
    var bare = fsiRunners.CombineWithFilePath("missing-runtime.fsx");
    System.IO.File.WriteAllText(bare.FullPath, $"#i \"nuget: {packages.FullPath}\"\n#load \"{MakeAbsolute(File("tests/packaging/missing-runtime.fsx")).FullPath}\"\n");
    Run("dotnet", $"fsi \"{bare}\"", new Dictionary<string, string> { ["NUGET_PACKAGES"] = bareRoot.FullPath });

    // The whole CPU install: what restoring Wick.Cpu put in the package folder.
    long bytes = 0;
    foreach (var dir in new[] { "wick", "wick.cpu", "wick.fsharp", "wick.runtime.linux-x64", "fsharp.core" })
    {
        var path = fsiNuget.Combine(dir);
        if (!DirectoryExists(path)) continue;
        long size = GetFiles($"{path}/**/*").Sum(f => new System.IO.FileInfo(f.FullPath).Length);
        Information($"restored {dir,-26} {size / 1024.0 / 1024.0,7:F2} MB");
        bytes += size;
    }
    Information($"restored Wick.Cpu install        {bytes / 1024.0 / 1024.0,7:F2} MB (target: at most 25 MB)");
});

var aotDir = artifacts.Combine("examples/aot");

Task("Aot")
    .Description("Publishes examples/AotSample with NativeAOT against the packed packages, fails on any trim/AOT warning, and runs it.")
    .IsDependentOn("Pack")
    .Does(() =>
{
    IEnumerable<string> output;
    int code = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = $"publish examples/AotSample -c {configuration} -r linux-x64 -o \"{aotDir}\" -p:TreatWarningsAsErrors=false",
        WorkingDirectory = root, RedirectStandardOutput = true,
    }, out output);
    var lines = output.ToList();
    foreach (var line in lines) Information(line);
    var warnings = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"warning (IL\d+|CS\d+|NU\d+)")).Distinct().ToList();
    if (code != 0) throw new Exception($"AotSample publish exited with code {code}");
    if (warnings.Count > 0) throw new Exception("AotSample: trim/AOT warnings:\n  " + string.Join("\n  ", warnings));
    Information($"AotSample: no trim or AOT warnings; executable {new System.IO.FileInfo(aotDir.CombineWithFilePath("AotSample").FullPath).Length / 1024.0 / 1024.0:F2} MB");
    Run(aotDir.CombineWithFilePath("AotSample").FullPath, "");
});

Task("BenchStartup")
    .Description("Times process start to the first op's result of the published AotSample (NativeAOT and JIT); writes artifacts/bench/startup.json.")
    .IsDependentOn("Aot")
    .Does(() =>
{
    var jitDir = artifacts.Combine("examples/jit");
    Run("dotnet", $"publish examples/AotSample -c {configuration} -r linux-x64 --self-contained false -p:PublishAot=false -o \"{jitDir}\"");
    Run("dotnet", $"run --project bench/Startup -c {configuration} -- \"{artifacts.CombineWithFilePath("bench/startup.json")}\" " +
                  $"\"nativeaot={aotDir.CombineWithFilePath("AotSample")} --first-op\" \"jit={jitDir.CombineWithFilePath("AotSample")} --first-op\"");
});

Task("Fuzz")
    .Description("Fuzzes the safetensors and ONNX loaders with afl++ (SharpFuzz) for --fuzz-seconds each (default 120; --fuzz-target=safetensors|onnx for one) and reports executions, crashes and hangs.")
    .Does(() =>
{
    int seconds = Argument("fuzz-seconds", 120);
    string only = Argument("fuzz-target", "all");
    var dir = artifacts.Combine("fuzz");
    var bin = dir.Combine("bin");
    if (DirectoryExists(bin)) DeleteDirectory(bin, new DeleteDirectorySettings { Recursive = true });
    Run("dotnet", $"publish fuzz/Wick.Fuzz -c {configuration} -o \"{bin}\"");
    var targets = new[] { "safetensors", "onnx" }.Where(t => only == "all" || only == t).ToArray();
    // Seeds come from the uninstrumented build: instrumented code writes to afl's trace memory, which exists only
    // under Fuzzer.OutOfProcess.Run.
    foreach (string target in targets)
    {
        var seeds = dir.Combine($"seeds-{target}");
        if (DirectoryExists(seeds)) DeleteDirectory(seeds, new DeleteDirectorySettings { Recursive = true });
        EnsureDirectoryExists(seeds);
        Run("dotnet", $"\"{bin.CombineWithFilePath("Wick.Fuzz.dll")}\" --make-seeds {target} \"{seeds}\"");
        if (target == "onnx")
            foreach (var model in GetFiles("tests/data/onnx-node/*/model.onnx"))
                CopyFile(model, seeds.CombineWithFilePath($"{model.GetDirectory().GetDirectoryName()}.onnx"));
        if (target == "onnx")
            foreach (var tensor in GetFiles("tests/data/onnx-node/*/test_data_set_0/input_0.pb"))
                CopyFile(tensor, seeds.CombineWithFilePath($"{tensor.FullPath.Split('/')[^3]}-input_0.pb"));
    }
    // Only Wick.IO is instrumented in Wick.dll: Wick's module initializer runs before SharpFuzz sets up its trace
    // memory. The ONNX target also instruments the protobuf parser, the first code a hostile model reaches.
    Run("dotnet", $"tool run sharpfuzz \"{bin.CombineWithFilePath("Wick.dll")}\" Wick.IO");
    Run("dotnet", $"tool run sharpfuzz \"{bin.CombineWithFilePath("Wick.Onnx.dll")}\"");
    Run("dotnet", $"tool run sharpfuzz \"{bin.CombineWithFilePath("Google.Protobuf.dll")}\"");
    var env = new Dictionary<string, string>
    {
        ["AFL_SKIP_BIN_CHECK"] = "1", ["AFL_NO_UI"] = "1", ["AFL_SKIP_CPUFREQ"] = "1",
        ["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1", ["AFL_NO_AFFINITY"] = "1",
    };
    var failures = new List<string>();
    var summary = new List<string> { "| loader | seconds | executions | crashes | hangs | corpus |", "| --- | --- | --- | --- | --- | --- |" };
    foreach (string target in targets)
    {
        var seeds = dir.Combine($"seeds-{target}");
        var findings = dir.Combine($"findings-{target}");
        if (DirectoryExists(findings)) DeleteDirectory(findings, new DeleteDirectorySettings { Recursive = true });
        Run("afl-fuzz", $"-i \"{seeds}\" -o \"{findings}\" -t 10000 -m none -V {seconds} -- dotnet \"{bin.CombineWithFilePath("Wick.Fuzz.dll")}\" {target}", env);
        var stats = System.IO.File.ReadAllLines(findings.CombineWithFilePath("default/fuzzer_stats").FullPath)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        string crashes = stats.GetValueOrDefault("saved_crashes", stats.GetValueOrDefault("unique_crashes", "?"));
        string hangs = stats.GetValueOrDefault("saved_hangs", stats.GetValueOrDefault("unique_hangs", "?"));
        Information($"Fuzz ({target}, {seconds} s): {stats.GetValueOrDefault("execs_done")} executions, {crashes} crashes, {hangs} hangs, " +
                    $"{stats.GetValueOrDefault("corpus_count")} corpus items; findings in {findings}");
        summary.Add($"| {target} | {seconds} | {stats.GetValueOrDefault("execs_done")} | {crashes} | {hangs} | {stats.GetValueOrDefault("corpus_count")} |");
        if (crashes != "0" || hangs != "0") failures.Add($"{target}: {crashes} crashes and {hangs} hangs (see {findings}/default)");
    }
    System.IO.File.WriteAllLines(dir.CombineWithFilePath("summary.md").FullPath, summary);
    if (failures.Count > 0) throw new Exception("Fuzz found problems: " + string.Join("; ", failures));
});

Task("Demo")
    .Description("The main job: packs the packages and runs examples/train.fsx against them: a small CNN on Fashion-MNIST " +
                 "(/usr/share/datasets/fashion-mnist, or WICK_DATA=<dir>), else on the embedded 8x8 digits.")
    .IsDependentOn("Pack")
    .Does(() => RunFsx(File("examples/train.fsx")));

RunTarget(target);
