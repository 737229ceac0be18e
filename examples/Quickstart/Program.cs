// Quickstart: the dispatcher on its own (the image API arrives with issue 3).
// A library declares a multimethod with a default implementation; a backend owns a "device" array type and
// offers a faster path for host arrays; scopes choose, and Explain says why.
using Scoped.Dispatch;

var hostArray = new HostArray([3, 1, 2]);

// 1. No scope: the library's own default runs.
Console.WriteLine($"sum(host)             = {Library.Sum.Invoke(hostArray)}   ran on: {Backend.Explain(() => Library.Sum.Invoke(hostArray)).Backend}");

// 2. A backend that owns DeviceArray is found without any scope when a DeviceArray is passed.
var accel = new AcceleratorBackend();
Backend.Register(accel);
var deviceArray = new DeviceArray([5, 5]);
Console.WriteLine($"sum(device)           = {Library.Sum.Invoke(deviceArray)}  ran on: {Backend.Explain(() => Library.Sum.Invoke(deviceArray)).Backend}");

// 3. Host arrays reach it only when the user opts in; in an interop scope they are converted (and back).
using (Backend.Interop("accel"))
{
    var explained = Backend.Explain(() => Library.Sum.Invoke(hostArray));
    Console.WriteLine($"sum(host) in Interop  = {explained.Result}   ran on: {explained.Backend}");
    Console.WriteLine(explained.Call);
}

// 4. Scopes flow into tasks and never leak out of them.
var inner = await Task.Run(() => { using (Backend.Use("accel", only: true, coerce: true)) return Backend.Explain(() => Library.Sum.Invoke(hostArray)).Backend; });
Console.WriteLine($"inside a task: {inner}; back outside: {Backend.Explain(() => Library.Sum.Invoke(hostArray)).Backend}");

// 5. When nothing can run a call, the exception lists every candidate and why it was passed over.
using (Backend.Skip("default"))
{
    try { Library.Sum.Invoke(hostArray); }
    catch (BackendNotImplementedException ex) { Console.WriteLine(ex.Message); }
}

/// <summary>A host array: plain managed memory.</summary>
sealed record HostArray(double[] Values);

/// <summary>An array the accelerator backend owns.</summary>
sealed record DeviceArray(double[] Values);

static class Library
{
    /// <summary>scoped.example:sum, dispatched on its only argument; the default takes host arrays.</summary>
    public static readonly Multimethod<Func<object, double>> Sum =
        Multimethod.Create<Func<object, double>>("scoped.example:sum", a => ((HostArray)a).Values.Sum());
}

sealed class AcceleratorBackend : DispatchBackend
{
    public AcceleratorBackend() : base("accel", "scoped.example")
    {
        Description = "A pretend accelerator with its own array type.";
        Owns<DeviceArray>();
        Implement(Library.Sum, (DeviceArray a) => a.Values.Sum());
        AddConverter<HostArray, DeviceArray>(h => new DeviceArray([.. h.Values]), h => h.Values.Length * sizeof(double));
        AddConverter<DeviceArray, HostArray>(d => new HostArray([.. d.Values]), d => d.Values.Length * sizeof(double));
    }
}
