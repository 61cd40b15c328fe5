"""The user's-path training benchmark (issue 16): `descent train` on the YAML configurations in
bench/userpath/, as whole processes, beside PyTorch's own loop (scripts/bench_userpath_torch.py)
under every PyTorch build given, in the same run, interleaved run by run so both see the same
machine load. Called by scripts/bench-train.sh, which prepares the builds.

Per epoch = (t(E2) - t(E1)) / (E2 - E1), where t(E) is the wall time of a whole process that
trains E epochs: start-up, data loading, JIT warm-up, the report and the test pass cancel out,
and what is left is what an extra epoch costs the user. Tiny problems the same over step budgets
S1 and S2 (microseconds per step), and the sequence benchmarks (char-transformer, char-lstm:
issue 18's language models on kjv.txt) over step budgets S1 and S2 (milliseconds per step; the
table adds tokens per second). Every figure is reported as min / median / max over rounds: a
user lives with the worst run, not the best.

1 thread means the whole process pinned to one core (taskset -c 0) for both sides, so the JIT
compiler and the collector share the core as PyTorch's whole process does.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_SCRIPT = os.path.join(ROOT, "scripts", "bench_userpath_torch.py")
PROBLEMS = [(p, o) for p in ("logistic", "linear") for o in ("sgd", "adam")]
SEQUENCE = ("char-transformer", "char-lstm")
# Tokens a step of the sequence benchmarks trains on: batch_size 32 x block_size 128 in
# bench/userpath/char-*.yaml, the same in bench_userpath_torch.py.
SEQUENCE_TOKENS = 32 * 128


# Runs argv[1:] as a child and reports its wall time and peak RSS (os.wait4 gives that one
# child's rusage; RUSAGE_CHILDREN would be a running maximum over every child so far).
WAIT4 = ("import os,sys,time,json\n"
         "t0=time.perf_counter(); pid=os.fork()\n"
         "if pid==0:\n os.execvp(sys.argv[1], sys.argv[1:])\n"
         "_,status,ru=os.wait4(pid,0); t=time.perf_counter()-t0\n"
         "sys.stderr.write('\\n#wait4 '+json.dumps({'wall':t,'rss_mb':ru.ru_maxrss/1024,'status':os.waitstatus_to_exitcode(status)})+'\\n')\n"
         "sys.exit(0 if os.waitstatus_to_exitcode(status)==0 else 1)\n")


def measure(cmd, env=None, cwd=None):
    """Wall seconds and peak RSS (MiB) of cmd as one process, and its stdout."""
    full = [sys.executable, "-c", WAIT4] + cmd
    proc = subprocess.run(full, capture_output=True, text=True, env=env, cwd=cwd)
    stats = None
    for line in proc.stderr.splitlines():
        if line.startswith("#wait4 "):
            stats = json.loads(line[len("#wait4 "):])
    if proc.returncode != 0 or stats is None:
        tail = "\n".join(l for l in proc.stderr.splitlines() if not l.startswith("#wait4"))[-3000:]
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{tail}")
    return stats["wall"], stats["rss_mb"], proc.stdout


def pin(threads):
    return ["taskset", "-c", "0"] if threads == 1 else []


class Descent:
    name = "descent"

    def __init__(self, data, work, text):
        self.data, self.work, self.text = data, work, text

    def settings(self, threads):
        return ["-"]

    def data_sets(self):
        d = self.data
        return [f"data.train.images={d}/train-images-idx3-ubyte.gz", f"data.train.labels={d}/train-labels-idx1-ubyte.gz",
                f"data.test.images={d}/t10k-images-idx3-ubyte.gz", f"data.test.labels={d}/t10k-labels-idx1-ubyte.gz"]

    def _train(self, config, sets, threads):
        out = tempfile.mkdtemp(dir=self.work)
        cmd = pin(threads) + [os.path.join(ROOT, "descent"), "train", config, "--quiet", "--threads", str(threads), "--out", out]
        for s in sets:
            cmd += ["--set", s]
        wall, rss, _ = measure(cmd)
        records = [json.loads(l) for l in open(os.path.join(out, "metrics.jsonl"))]
        shutil.rmtree(out, ignore_errors=True)
        return wall, rss, records

    def classify(self, bench, epochs, threads, setting):
        config = os.path.join(ROOT, "bench", "userpath", f"{bench}.yaml")
        wall, rss, records = self._train(config, self.data_sets() + [f"train.epochs={epochs}"], threads)
        epoch_seconds = [r["seconds"] for r in records if r.get("kind") == "epoch"]
        test = next((r for r in records if r.get("kind") == "test"), {})
        acc = next((v for k, v in test.items() if k.endswith("accuracy")), None)
        return {"wall": wall, "rss_mb": rss, "epoch_seconds": epoch_seconds, "accuracy": acc}

    def tiny(self, problem, optimizer, steps, threads, setting, csv):
        config = os.path.join(ROOT, "bench", "userpath", "tiny.yaml")
        sets = [f"data.train={csv}", f"train.max_steps={steps}",
                "loss=" + ("bce_with_logits" if problem == "logistic" else "mse"),
                f"optimizer.name={optimizer}", "optimizer.lr=" + ("0.1" if optimizer == "sgd" else "0.01")]
        wall, rss, records = self._train(config, sets, threads)
        # In-process figure beside the whole-process one: the training loop's own time per step
        # (metrics.jsonl's step records carry seconds since training started), JIT warm-up included.
        last = [r for r in records if r.get("kind") == "step"][-1]
        return {"wall": wall, "rss_mb": rss, "loop_us_per_step": last["seconds"] / last["step"] * 1e6}

    def sequence(self, bench, steps, threads, setting):
        config = os.path.join(ROOT, "bench", "userpath", f"{bench}.yaml")
        wall, rss, records = self._train(config, [f"data.train.text={self.text}", f"train.max_steps={steps}"], threads)
        # seconds since training started after each step, for the in-process figure beside the whole-process one
        step_seconds = [r["seconds"] for r in records if r.get("kind") == "step"]
        return {"wall": wall, "rss_mb": rss, "step_seconds": step_seconds, "tokens_per_step": SEQUENCE_TOKENS}


class Torch:
    """One PyTorch build: `python` is its interpreter; `compile` adds torch.compile."""

    def __init__(self, name, python, data, text, compile=False, blas_settings=False):
        self.name, self.python, self.data, self.text = name, python, data, text
        self.compile, self.blas_settings = compile, blas_settings

    def settings(self, threads):
        if threads == 1:
            return ["omp1"]
        # Debian's torch calls OpenBLAS, which has its own threads: its default (1 ATen thread,
        # OpenBLAS on every core) and ATen on all cores with OpenBLAS on one are both tried.
        return ["default", "omp2-blas1"] if self.blas_settings else ["default"]

    def _run(self, args, threads, setting):
        env = dict(os.environ)
        extra = []
        if setting == "omp1":
            env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
            extra = ["--threads", "1"]
        elif setting == "omp2-blas1":
            env.update(OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS="1")
            extra = ["--threads", str(threads)]
        if self.compile:
            extra.append("--compile")
        wall, rss, out = measure(pin(threads) + [self.python, TORCH_SCRIPT] + args + extra + ["--data", self.data], env=env)
        result = json.loads(next(l for l in out.splitlines() if l.startswith("result "))[len("result "):])
        result.update(wall=wall, rss_mb=rss)
        return result

    def classify(self, bench, epochs, threads, setting):
        return self._run([bench, "--epochs", str(epochs)], threads, setting)

    def tiny(self, problem, optimizer, steps, threads, setting, csv):
        return self._run(["tiny", "--steps", str(steps), "--problem", problem, "--optimizer", optimizer, "--csv", csv],
                         threads, setting)

    def sequence(self, bench, steps, threads, setting):
        return self._run([bench, "--steps", str(steps), "--text", self.text], threads, setting)


def write_tiny_csvs(work, seed=1):
    """1,024 rows of two standard-normal features and a target, seeded: logistic y = [1.5 x1 - x2
    + 0.2 + 0.3 e > 0], linear y = 3 x1 - 2 x2 + 0.5 + 0.1 e."""
    import random
    rng = random.Random(seed)
    paths = {}
    for problem in ("logistic", "linear"):
        path = os.path.join(work, f"tiny-{problem}.csv")
        with open(path, "w") as f:
            f.write("x1,x2,y\n")
            for _ in range(1024):
                x1, x2, e = rng.gauss(0, 1), rng.gauss(0, 1), rng.gauss(0, 1)
                y = (1.0 if 1.5 * x1 - x2 + 0.2 + 0.3 * e > 0 else 0.0) if problem == "logistic" else 3 * x1 - 2 * x2 + 0.5 + 0.1 * e
                f.write(f"{x1:.6f},{x2:.6f},{y:.6f}\n")
        paths[problem] = path
    return paths


def emit(results, record):
    record["load"] = os.getloadavg()[0]
    results.write(json.dumps(record) + "\n")
    results.flush()
    print(json.dumps(record), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", default="1 2")
    p.add_argument("--benches", default="mlp cnn tiny demo")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "fashion-mnist"))
    p.add_argument("--torch", action="append", default=[], metavar="NAME=PYTHON[:compile|:blas]",
                   help="a PyTorch build to compare with, e.g. torch-1.13=/usr/bin/python3:blas")
    p.add_argument("--epochs", default="1,3", help="E1,E2 for the MLP")
    p.add_argument("--cnn-epochs", default="1,2", help="E1,E2 for the CNN")
    p.add_argument("--steps", default="2000,10000", help="S1,S2 for the tiny problems")
    p.add_argument("--seq-steps", default="3,8", help="S1,S2 for the sequence benchmarks")
    p.add_argument("--text", default=os.path.join(ROOT, "..", "shared", "data", "kjv.txt"),
                   help="the sequence benchmarks' training text")
    p.add_argument("--results", required=True)
    a = p.parse_args()
    data = os.path.abspath(a.data)
    work = tempfile.mkdtemp(prefix="bench-userpath-")
    text = os.path.abspath(a.text)
    impls = [Descent(data, work, text)]
    for spec in a.torch:
        name, rest = spec.split("=", 1)
        python, _, flag = rest.partition(":")
        impls.append(Torch(name, python, data, text, compile=flag == "compile", blas_settings=flag == "blas"))
    csvs = write_tiny_csvs(work)
    e_mlp = [int(v) for v in a.epochs.split(",")]
    e_cnn = [int(v) for v in a.cnn_epochs.split(",")]
    steps = [int(v) for v in a.steps.split(",")]
    seq_steps = [int(v) for v in a.seq_steps.split(",")]
    with open(a.results, "a") as results:
        for r in range(1, a.rounds + 1):
            for t in [int(v) for v in a.threads.split()]:
                for bench in a.benches.split():
                    if bench == "demo":
                        if t != 2:
                            continue  # the demo runs with the default threads
                        demo_out = tempfile.mkdtemp(dir=work)
                        wall, rss, _ = measure([os.path.join(ROOT, "descent"), "demo", "--out", demo_out])
                        emit(results, {"round": r, "bench": "demo", "impl": "descent", "threads": t, "wall": wall, "rss_mb": rss})
                        continue
                    # Interleaved: every implementation's E1 run, then every E2 run.
                    budgets = e_mlp if bench == "mlp" else e_cnn if bench == "cnn" else seq_steps if bench in SEQUENCE else steps
                    cases = [None] if bench != "tiny" else PROBLEMS
                    for case in cases:
                        for budget in budgets:
                            for impl in impls:
                                # torch.compile is left out where its compile time would swamp
                                # the few steps timed (tiny problems, sequence models)
                                if (bench == "tiny" or bench in SEQUENCE) and isinstance(impl, Torch) and impl.compile:
                                    continue
                                for setting in impl.settings(t):
                                    if bench == "tiny":
                                        res = impl.tiny(case[0], case[1], budget, t, setting, csvs[case[0]])
                                        name = f"tiny-{case[0]}-{case[1]}"
                                    elif bench in SEQUENCE:
                                        res = impl.sequence(bench, budget, t, setting)
                                        name = bench
                                    else:
                                        res = impl.classify(bench, budget, t, setting)
                                        name = bench
                                    emit(results, {"round": r, "bench": name, "impl": impl.name, "setting": setting,
                                                   "threads": t, "budget": budget, **res})
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
