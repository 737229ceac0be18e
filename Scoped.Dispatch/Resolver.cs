namespace Scoped.Dispatch;

/// <summary>
/// Builds the plan for one (multimethod, scope node, argument types): the candidates in resolution order
/// (scopes innermost first, the global default, registered backends by priority, backends owning an argument's
/// type, the multimethod's default), what became of each, and the delegate the fast path will call.
/// </summary>
internal static class Resolver
{
    public static Plan Resolve(Multimethod method, ScopeNode node, Type[] types, int version)
    {
        var state = Registry.Current;
        var walk = new Walk(method, types, node, state);

        var stopped = false;
        for (var n = node; n.Frame.Kind != FrameKind.Root && !stopped; n = n.Parent!)
        {
            if (n.Frame.Kind != FrameKind.Use) continue;
            var frame = n.Frame;
            // Skips apply first (as in uarray): a skipped backend is off the whole list, so its `only` ends nothing.
            var skipped = node.Skipped.Contains(frame.BackendName);
            var entry = frame.Instance is null ? state.Find(frame.Name!) : null;
            if (frame.Instance is null && entry is null)
            {
                if (skipped) walk.Report(frame.Name!, CandidateOrigin.Scope, CandidateOutcome.Skipped, null);
                else walk.Report(frame.Name!, CandidateOrigin.Scope, CandidateOutcome.Unavailable, "no backend of this name is registered any more");
                stopped = frame.Only && !skipped;
                continue;
            }
            var domains = frame.Instance?.Domains ?? entry!.Domains;
            if (!domains.Any(d => Domain.Serves(d, method.DomainName)))
            {
                // A scope for another domain neither offers a candidate nor ends the walk (as in uarray).
                walk.Report(frame.BackendName, CandidateOrigin.Scope, CandidateOutcome.NotInDomain, $"serves [{string.Join(", ", domains)}]");
                continue;
            }
            walk.Consider(frame.BackendName, frame.Instance, entry, CandidateOrigin.Scope, frame.Coerce);
            stopped = frame.Only && !skipped;
        }

        // The domain's own global backend, then its ancestors' (uarray's order); each `only` ends the walk there.
        var globals = state.DefaultsFor(method.DomainName);
        foreach (var global in globals)
            if (!stopped && !global.TryLast) stopped = ConsiderGlobal(walk, node, global);
        if (!stopped)
        {
            foreach (var name in state.Priority)
                if (state.Find(name) is { } entry && entry.Serves(method.DomainName))
                    walk.Consider(entry.Name, null, entry, CandidateOrigin.Priority, coerce: false);
            foreach (var entry in state.Entries)
                if (entry.Serves(method.DomainName) && types.Any(entry.Owns))
                    walk.Consider(entry.Name, null, entry, CandidateOrigin.Owner, coerce: false);
        }
        foreach (var global in globals)
            if (!stopped && global.TryLast) stopped = ConsiderGlobal(walk, node, global);
        if (!stopped && method.DefaultBackend is { } defaultBackend)
            walk.Consider(defaultBackend.Name, defaultBackend, null, CandidateOrigin.Default, coerce: false);

        return walk.ToPlan(version);
    }

    /// <summary>Considers a global backend; true when it ends the walk (set with `only` and not skipped here).</summary>
    private static bool ConsiderGlobal(Walk walk, ScopeNode node, GlobalBackend global)
    {
        walk.Consider(global.Entry.Name, null, global.Entry, CandidateOrigin.GlobalDefault, global.Coerce);
        return global.Only && !node.Skipped.Contains(global.Entry.Name);
    }

    /// <summary>A candidate asked for by the user (scope, global default, priority) that could not run the call.</summary>
    public static bool IsRequestedAndPassedOver(CandidateReport report) =>
        report.Origin is CandidateOrigin.Scope or CandidateOrigin.GlobalDefault or CandidateOrigin.Priority
        && report.Outcome is CandidateOutcome.Unavailable or CandidateOutcome.NoImplementation or CandidateOutcome.NeedsConversion or CandidateOutcome.Declined;

    public static void OnFallback(RegistryState state, Multimethod method, Type[] types, IReadOnlyList<CandidateReport> trace, Candidate selected)
    {
        switch (state.Options.Fallback)
        {
            case FallbackBehavior.Throw:
                throw new BackendNotImplementedException(method.Name, types, trace,
                    $"{method.Name}({TypeList(types)}) would fall back to '{selected.Backend.Name}', and DispatchOptions.Fallback is Throw.");
            case FallbackBehavior.Warn:
                Log.Fallback(state.Logger, method.Name, TypeList(types), selected.Backend.Name, string.Join("; ", trace));
                break;
        }
    }

    public static string TypeList(IEnumerable<Type> types) => string.Join(", ", types.Select(t => t.Name));

    /// <summary>The walk over candidates for one resolution.</summary>
    private sealed class Walk(Multimethod method, Type[] types, ScopeNode node, RegistryState state)
    {
        private readonly List<CandidateReport> _trace = [];
        private readonly List<Candidate> _viable = [];
        private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
        private bool _decided;

        public void Report(string name, CandidateOrigin origin, CandidateOutcome outcome, string? reason) =>
            _trace.Add(new CandidateReport(name, origin, outcome, reason is null ? null : MessageText.Escape(reason)));

        public void Consider(string name, DispatchBackend? instance, BackendEntry? entry, CandidateOrigin origin, bool coerce)
        {
            if (!_seen.Add(name)) return;
            if (node.Skipped.Contains(name)) { Report(name, origin, CandidateOutcome.Skipped, null); return; }
            if (_decided) { Report(name, origin, CandidateOutcome.NotReached, null); return; }

            string? loadError = null;
            var backend = instance ?? entry!.TryGet(out loadError);
            if (backend is null) { Report(name, origin, CandidateOutcome.Unavailable, loadError); return; }
            if (backend.SafeUnavailableReason() is { } unavailable) { Report(name, origin, CandidateOutcome.Unavailable, unavailable); return; }

            if (backend is DefaultBackend)
            {
                for (var i = 0; i < types.Length; i++)
                    if (state.KindOf(types[i]) is { } owner)
                    {
                        Report(name, origin, CandidateOutcome.NoImplementation,
                            $"the default implementation takes host arrays; '{method.ParameterNames[method.DispatchParameters[i]]}' is a {types[i].Name}, owned by '{owner}'");
                        return;
                    }
            }

            var registrations = backend.RegistrationsFor(method);
            if (registrations.Count == 0) { Report(name, origin, CandidateOutcome.NoImplementation, $"does not implement {method.Function}"); return; }

            var (registration, conversions) = Match(backend, registrations);
            if (registration is null)
            {
                Report(name, origin, CandidateOutcome.NoImplementation,
                    $"implements {method.Function} only for {string.Join(" and ", registrations.Select(r => $"({TypeList(r.DispatchTypes)})"))}");
                return;
            }
            if (conversions.Any(c => c is not null) && !coerce)
            {
                var needed = string.Join(", ", conversions.Select((c, i) => c is null ? null : $"'{method.ParameterNames[method.DispatchParameters[i]]}' {types[i].Name} -> {c.To.Name}").Where(s => s is not null));
                Report(name, origin, CandidateOutcome.NeedsConversion,
                    $"would need {needed}, which happens only in an interop scope: Backend.Interop(\"{name}\") or Backend.Use(\"{name}\", coerce: true)");
                return;
            }

            var candidate = new Candidate(backend, registration, conversions, _trace.Count);
            _viable.Add(candidate);
            Report(name, origin, _viable.Count == 1 ? CandidateOutcome.Selected : CandidateOutcome.NotReached,
                candidate.MayDecline ? "may decline after looking at the call's values" : null);
            // A candidate that cannot decline ends the search; later ones are listed as not reached.
            _decided = !candidate.MayDecline;
        }

        /// <summary>The most specific registration taking the argument types directly; failing that, the one needing the
        /// fewest conversions through the backend's converters.</summary>
        private (Registration?, Converter?[]) Match(DispatchBackend backend, IReadOnlyList<Registration> registrations)
        {
            Registration? best = null;
            foreach (var r in registrations)
                if (TypeRules.AtLeastAsSpecific(types, r.DispatchTypes) && (best is null || TypeRules.AtLeastAsSpecific(r.DispatchTypes, best.DispatchTypes)))
                    best = r;
            if (best is not null) return (best, new Converter?[types.Length]);

            var converters = backend.Converters;
            if (converters.Length == 0) return (null, []);
            (Registration? Registration, Converter?[] Conversions, int Count) found = (null, [], int.MaxValue);
            foreach (var r in registrations)
            {
                var plan = new Converter?[types.Length];
                var count = 0;
                for (var i = 0; i < types.Length && count >= 0; i++)
                {
                    if (r.DispatchTypes[i].IsAssignableFrom(types[i])) continue;
                    plan[i] = converters.FirstOrDefault(c => c.From.IsAssignableFrom(types[i]) && r.DispatchTypes[i].IsAssignableFrom(c.To));
                    count = plan[i] is null ? -1 : count + 1;
                }
                if (count >= 0 && count < found.Count) found = (r, plan, count);
            }
            return (found.Registration, found.Conversions);
        }

        public Plan ToPlan(int version)
        {
            var trace = _trace.ToArray();
            var first = _viable.Count > 0 ? _viable[0] : null;
            var isFallback = first is not null && trace.Take(first.TraceIndex).Any(IsRequestedAndPassedOver);
            var expectedKind = state.KindOf(types[0]);
            Func<Exception>? failure = null;
            if (first is null)
                failure = () => new BackendNotImplementedException(method.Name, types, trace);
            else if (isFallback && state.Options.Fallback == FallbackBehavior.Throw)
                failure = () => new BackendNotImplementedException(method.Name, types, trace,
                    $"{method.Name}({TypeList(types)}) would fall back to '{first.Backend.Name}', and DispatchOptions.Fallback is Throw.");

            var direct = first is not null && failure is null && node.Recorder is null && !first.MayDecline && !first.NeedsConversion;
            var plan = new Plan
            {
                Key = TypeKey.From(types),
                ArgumentTypes = types,
                Version = version,
                Trace = trace,
                Viable = [.. _viable],
                ExpectedKind = expectedKind,
                IsFallback = isFallback,
                Failure = failure,
                Recorder = node.Recorder,
                Selected = direct ? first!.Backend.Name : "",
            };
            plan.Target = !direct ? method.CreateSlowTarget(plan)
                : method.ReturnsArray && !ResultKindIsCertain(first!.Registration.ReturnType, expectedKind) ? method.CreateCheckedTarget(plan, first!.Registration.Target)
                : first!.Registration.Target;

            Log.Resolved(state.Logger, method.Name, TypeList(types), node.Describe(), first?.Backend.Name ?? "(none)", string.Join("; ", trace));
            if (isFallback && failure is null && state.Options.Fallback == FallbackBehavior.Warn)
                Log.Fallback(state.Logger, method.Name, TypeList(types), first!.Backend.Name, string.Join("; ", trace));
            return plan;
        }

        /// <summary>The result's kind needs no run-time check when the implementation's declared return type settles it:
        /// a sealed host type for host calls, or a type owned by the expected backend.</summary>
        private bool ResultKindIsCertain(Type declared, string? expectedKind) =>
            expectedKind is null ? declared.IsSealed && state.KindOf(declared) is null : state.KindOf(declared) == expectedKind;
    }
}
