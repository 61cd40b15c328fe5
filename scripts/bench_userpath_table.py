"""Tables of the user's-path benchmark (scripts/bench_userpath.py's JSON lines).

Per benchmark and thread count, per implementation (PyTorch: its fastest thread setting by
median), the cost of one more epoch (or one more step), (t(E2) - t(E1)) / (E2 - E1) from the
same round's two whole-process runs, as min / median / max over rounds; the ratio Descent / the
fastest PyTorch (by median), at Descent's median and at its worst round; peak RSS (largest over
rounds); test accuracy (median). Then Descent's first epoch against its steady epochs, the
sequence benchmarks' tokens per second (and the training loop's own steady time per step, from
the longer run's per-step clock), and the demo's wall time.

Usage: bench_userpath_table.py RESULTS.jsonl
"""
import collections
import json
import statistics
import sys


def unit_of(bench):
    """(unit, factor from seconds, format) of a benchmark's marginal cost."""
    if bench.startswith("tiny"):
        return "us/step", 1e6, "{:.2f}"
    if bench.startswith("char-"):
        return "ms/step", 1e3, "{:.1f}"
    return "s/epoch", 1.0, "{:.3f}"


def mmm(values, fmt):
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def main(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    runs = collections.defaultdict(dict)   # (bench, threads, impl, setting, round) -> {budget: row}
    for r in rows:
        if r["bench"] != "demo":
            runs[(r["bench"], r["threads"], r["impl"], r["setting"], r["round"])][r["budget"]] = r
    marginal = collections.defaultdict(list)   # (bench, threads, impl, setting) -> per-unit costs
    rss = collections.defaultdict(float)
    acc = collections.defaultdict(list)
    first = collections.defaultdict(list)
    tokens = {}                                 # (bench, threads, impl, setting) -> tokens per step
    loop = collections.defaultdict(list)        # the same -> in-process ms/step between the budgets
    for (bench, t, impl, setting, _), by_budget in runs.items():
        if len(by_budget) < 2:
            continue
        (b1, r1), (b2, r2) = sorted(by_budget.items())[:1] + sorted(by_budget.items())[-1:]
        scale = unit_of(bench)[1]
        key = (bench, t, impl, setting)
        if "tokens_per_step" in r2:
            tokens[key] = r2["tokens_per_step"]
            # the longer run's own clock: seconds since training started, after each step
            ss = r2.get("step_seconds") or []
            if len(ss) >= b2:
                loop[key].append((ss[b2 - 1] - ss[b1 - 1]) / (b2 - b1) * 1e3)
        marginal[key].append((r2["wall"] - r1["wall"]) / (b2 - b1) * scale)
        rss[key] = max(rss[key], r2["rss_mb"], r1["rss_mb"])
        if r2.get("accuracy") is not None:
            acc[key].append(r2["accuracy"])
        # Descent's epoch records carry seconds since training started: an epoch is the difference.
        cumulative = r2.get("epoch_seconds") or []
        es = [b - a for a, b in zip([0.0] + cumulative, cumulative)]
        if impl == "descent" and len(es) >= 2:
            first[(bench, t)].append(es[0] / statistics.median(es[1:]))
    print("| benchmark | threads | unit | Descent min / median / max | fastest PyTorch (setting) min / median / max "
          "| ratio median | ratio worst | other PyTorch builds, median | accuracy Descent / PyTorch | peak RSS MiB Descent / PyTorch | rounds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    order = lambda k: (k[0].startswith("tiny"), k[0].startswith("char-"), k[0], k[1])
    for bench, t in sorted({(k[0], k[1]) for k in marginal}, key=order):
        unit, _, fmt = unit_of(bench)
        ours = marginal.get((bench, t, "descent", "-"))
        if not ours:
            continue
        # Each PyTorch build at its fastest setting (by median).
        best_by_build = {}
        for (b, th, impl, setting), vals in marginal.items():
            if b == bench and th == t and impl != "descent":
                if impl not in best_by_build or statistics.median(vals) < statistics.median(best_by_build[impl][1]):
                    best_by_build[impl] = (setting, vals)
        if not best_by_build:
            continue
        fastest = min(best_by_build, key=lambda i: statistics.median(best_by_build[i][1]))
        setting, theirs = best_by_build[fastest]
        tm = statistics.median(theirs)
        others = ", ".join(f"{i} ({s}) {fmt.format(statistics.median(v))}" for i, (s, v) in sorted(best_by_build.items()) if i != fastest)
        a_ours = acc.get((bench, t, "descent", "-"))
        a_theirs = acc.get((bench, t, fastest, setting))
        accuracy = f"{statistics.median(a_ours):.4f} / {statistics.median(a_theirs):.4f}" if a_ours and a_theirs else "-"
        print(f"| {bench} | {t} | {unit} | {mmm(ours, fmt)} | {fastest} ({setting}) {mmm(theirs, fmt)} "
              f"| {statistics.median(ours) / tm:.2f} | {max(ours) / tm:.2f} | {others or '-'} | {accuracy} "
              f"| {rss[(bench, t, 'descent', '-')]:.0f} / {rss[(bench, t, fastest, setting)]:.0f} | {len(ours)} |")
    print()
    for (bench, t), ratios in sorted(first.items()):
        print(f"Descent first epoch / median later epoch, {bench}, {t} thread(s): {mmm(ratios, '{:.2f}')} (min / median / max)")
    if tokens:
        print("\nSequence models, tokens per second (B x T tokens per step / the marginal step; min / median / max over"
              " rounds), and the training loop's own ms/step between the two budgets (median):")
        for key in sorted(tokens, key=order):
            per = [tokens[key] / (ms / 1e3) for ms in marginal[key]]
            inproc = f", in-process {statistics.median(loop[key]):.1f} ms/step" if loop.get(key) else ""
            print(f"  {key[0]} {key[1]} thread(s) {key[2]} ({key[3]}): {mmm(per, '{:.0f}')} tokens/s{inproc}")
    loops = collections.defaultdict(list)   # tiny: the training loop's own us/step, all steps of the longer run
    for (bench, t, impl, setting, _), by_budget in runs.items():
        r2 = by_budget[max(by_budget)]
        if "loop_us_per_step" in r2:
            loops[(bench, t, impl, setting)].append(r2["loop_us_per_step"])
    if loops:
        print("\nTiny problems, the training loop alone (us/step over all steps, JIT warm-up included; min / median / max):")
        for key in sorted(loops):
            print(f"  {key[0]} {key[1]} thread(s) {key[2]} ({key[3]}): {mmm(loops[key], '{:.2f}')}")
    demo = [r["wall"] for r in rows if r["bench"] == "demo"]
    if demo:
        print(f"descent demo, whole process, warm: {mmm(demo, '{:.2f}')} s (min / median / max over {len(demo)})")


if __name__ == "__main__":
    main(sys.argv[1])
