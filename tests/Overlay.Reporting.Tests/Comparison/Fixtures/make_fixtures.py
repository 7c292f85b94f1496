#!/usr/bin/env python3
"""Builds tests/Overlay.Reporting.Tests/Comparison/Fixtures from real BenchmarkDotNet 0.15.8 runs.

The source is one run of a tiny benchmark project (EncapsulateBenchmarks with a CopyBaseline calibration per
Variant, DecapsulateBenchmarks with one calibration, MemoryDiagnoser on), made with
  --launchCount 1 --warmupCount 3 --iterationCount 15 --iterationTime 100 --exporters fulljson
and one run made with --job short (3 iterations). baseline/run-1 is the real run; baseline/run-2 and noise/ are the
same run with seeded noise (each iteration +-6 %, each benchmark of the run drifting by up to +-4 %, statistics
recomputed), as a second and third run of unchanged code would look on a quiet machine. Every other case edits the
numbers of noise/ coherently:
the Workload/Actual and Workload/Result measurements of a benchmark are scaled together (the overhead of each
iteration kept), and every scale-equivariant statistic is scaled with them.
Usage: make_fixtures.py RUN SHORTRUN OUT
"""
import copy, glob, json, os, shutil, sys

real, short, out = sys.argv[1:4]
ENC = "Overlay.Benchmarks.EncapsulateBenchmarks-report-full.json"
DEC = "Overlay.Benchmarks.DecapsulateBenchmarks-report-full.json"

def load(run, name):
    for pattern in (name, name.replace("-full.json", "-full-compressed.json")):
        hits = glob.glob(os.path.join(run, "results", pattern))
        if hits:
            return json.load(open(hits[0]))
    raise SystemExit(f"{run}: no {name}")

def write(doc, case, name, run=None):
    folder = os.path.join(out, case, run) if run else os.path.join(out, case)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))

SCALE = {"Min", "LowerFence", "Q1", "Median", "Mean", "Q3", "UpperFence", "Max", "InterquartileRange", "StandardError", "StandardDeviation"}

def scale(bench, factor):
    for m in bench["Measurements"]:
        if m["IterationMode"] != "Workload":
            continue
        m["Nanoseconds"] = round(m["Nanoseconds"] * factor)
    # Actual = Result + overhead: keep the overhead of each iteration.
    res = [m for m in bench["Measurements"] if m["IterationMode"] == "Workload" and m["IterationStage"] == "Result"]
    s = bench["Statistics"]
    s["OriginalValues"] = [v * factor for v in s["OriginalValues"]]
    for k in SCALE:
        s[k] = s[k] * factor
    s["Variance"] = s["Variance"] * factor * factor
    for k in ("LowerOutliers", "UpperOutliers", "AllOutliers"):
        s[k] = [v * factor for v in s[k]]
    ci = s["ConfidenceInterval"]
    for k in ("Mean", "StandardError", "Margin", "Lower", "Upper"):
        ci[k] = ci[k] * factor
    s["Percentiles"] = {k: v * factor for k, v in s["Percentiles"].items()}

def find(doc, method, params=""):
    hits = [b for b in doc["Benchmarks"] if b["Method"] == method and b["Parameters"] == params]
    assert len(hits) == 1, (method, params)
    return hits[0]

def set_allocated(bench, nbytes):
    bench["Memory"]["BytesAllocatedPerOperation"] = nbytes
    for metric in bench["Metrics"]:
        if metric["Descriptor"]["Id"] == "Allocated Memory":
            metric["Value"] = nbytes


import math, random

def quantile(sorted_values, p):
    h = (len(sorted_values) - 1) * p
    lo = math.floor(h); hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])

def restat(bench):
    """Recomputes BenchmarkDotNet's statistics from the Workload/Result measurements."""
    values = [m["Nanoseconds"] / m["Operations"] for m in bench["Measurements"]
              if m["IterationMode"] == "Workload" and m["IterationStage"] == "Result"]
    v = sorted(values); n = len(v)
    mean = sum(v) / n
    var = sum((x - mean) ** 2 for x in v) / (n - 1) if n > 1 else 0.0
    sd = math.sqrt(var); se = sd / math.sqrt(n)
    q1, q3 = quantile(v, 0.25), quantile(v, 0.75); iqr = q3 - q1
    lf, uf = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    m3 = sum((x - mean) ** 3 for x in v) / n; m2 = sum((x - mean) ** 2 for x in v) / n
    s = bench["Statistics"]
    margin_ratio = s["ConfidenceInterval"]["Margin"] / s["ConfidenceInterval"]["StandardError"] if s["ConfidenceInterval"]["StandardError"] else 0
    s.update({"OriginalValues": values, "N": n, "Min": v[0], "LowerFence": lf, "Q1": q1, "Median": quantile(v, 0.5),
              "Mean": mean, "Q3": q3, "UpperFence": uf, "Max": v[-1], "InterquartileRange": iqr,
              "LowerOutliers": [x for x in v if x < lf], "UpperOutliers": [x for x in v if x > uf],
              "AllOutliers": [x for x in v if x < lf or x > uf], "StandardError": se, "Variance": var,
              "StandardDeviation": sd, "Skewness": m3 / m2 ** 1.5 if m2 else 0.0,
              "Kurtosis": (sum((x - mean) ** 4 for x in v) / n) / m2 ** 2 if m2 else 0.0})
    s["ConfidenceInterval"].update({"N": n, "Mean": mean, "StandardError": se, "Margin": se * margin_ratio,
                                    "Lower": mean - se * margin_ratio, "Upper": mean + se * margin_ratio})
    s["Percentiles"] = {f"P{p}": quantile(v, p / 100) for p in (0, 25, 50, 67, 80, 85, 90, 95, 100)}

def jitter(doc, seed):
    """Seeded noise: every iteration of a benchmark +-6 %, every benchmark of the run drifting by up to +-4 %."""
    rng = random.Random(seed)
    for bench in doc["Benchmarks"]:
        drift = 1 + rng.uniform(-0.04, 0.04)
        actual = [m for m in bench["Measurements"] if m["IterationMode"] == "Workload" and m["IterationStage"] == "Actual"]
        result = [m for m in bench["Measurements"] if m["IterationMode"] == "Workload" and m["IterationStage"] == "Result"]
        by_index = {m["IterationIndex"]: m for m in actual}
        for r in result:
            f = drift * (1 + rng.uniform(-0.06, 0.06))
            new = round(r["Nanoseconds"] * f)
            a = by_index.get(r["IterationIndex"])
            if a is not None:
                a["Nanoseconds"] = a["Nanoseconds"] - r["Nanoseconds"] + new
            r["Nanoseconds"] = new
        restat(bench)

shutil.rmtree(out, ignore_errors=True)
enc0, dec0 = load(real, ENC), load(real, DEC)
write(enc0, "baseline", ENC, "run-1/results"); write(dec0, "baseline", DEC, "run-1/results")
e, d = copy.deepcopy(enc0), copy.deepcopy(dec0)
jitter(e, 1); jitter(d, 2)
write(e, "baseline", ENC, "run-2/results"); write(d, "baseline", DEC, "run-2/results")
enc, dec = copy.deepcopy(enc0), copy.deepcopy(dec0)
jitter(enc, 3); jitter(dec, 4)
# noise: unchanged code, measured again.
write(enc, "noise", ENC, "results"); write(dec, "noise", DEC, "results")

# slower-machine: the same run on a machine 1.6x slower: every benchmark, calibrations included.
e, d = copy.deepcopy(enc), copy.deepcopy(dec)
for b in e["Benchmarks"] + d["Benchmarks"]:
    scale(b, 1.6)
write(e, "slower-machine", ENC, "results"); write(d, "slower-machine", DEC, "results")

# regression: encapsulating VXLAN by copy takes twice as long.
e = copy.deepcopy(enc)
scale(find(e, "Copy", "Variant=vxlan-ipv4"), 2.0)
write(e, "regression", ENC, "results"); write(dec, "regression", DEC, "results")

# improvement: SRv6 H.Encaps with 3 SIDs by copy takes half as long.
e = copy.deepcopy(enc)
scale(find(e, "Copy", "Variant=srv6-encaps-3sid"), 0.5)
write(e, "improvement", ENC, "results"); write(dec, "improvement", DEC, "results")

# allocation: Decapsulate starts allocating 24 B per operation, DecapsulateToArray 8 B more; timings unchanged.
d = copy.deepcopy(dec)
set_allocated(find(d, "Decapsulate"), 24)
to_array = find(d, "DecapsulateToArray")
set_allocated(to_array, to_array["Memory"]["BytesAllocatedPerOperation"] + 8)
write(enc, "allocation", ENC, "results"); write(d, "allocation", DEC, "results")

# missing: DecapsulateToArray is gone; a new Decapsulate benchmark (InPlace) appears.
d = copy.deepcopy(dec)
d["Benchmarks"] = [b for b in d["Benchmarks"] if b["Method"] != "DecapsulateToArray"]
extra = copy.deepcopy(find(d, "Decapsulate"))
for k in ("DisplayInfo", "FullName"):
    extra[k] = extra[k].replace("Decapsulate", "DecapsulateInPlace").replace("DecapsulateInPlaceBenchmarks", "DecapsulateBenchmarks")
extra["Method"] = extra["MethodTitle"] = "DecapsulateInPlace"
d["Benchmarks"].append(extra)
write(enc, "missing", ENC, "results"); write(d, "missing", DEC, "results")

# unusable inputs.
text = json.dumps(enc)
os.makedirs(os.path.join(out, "unusable-truncated", "results"), exist_ok=True)
open(os.path.join(out, "unusable-truncated", "results", ENC), "w").write(text[: len(text) // 2])
e, d = copy.deepcopy(enc), copy.deepcopy(dec)
e["Benchmarks"] = [b for b in e["Benchmarks"] if b["Method"] != "CopyBaseline"]
d["Benchmarks"] = [b for b in d["Benchmarks"] if b["Method"] != "CopyBaseline"]
write(e, "unusable-no-calibration", ENC, "results"); write(d, "unusable-no-calibration", DEC, "results")
d = copy.deepcopy(dec)
failed = find(d, "Decapsulate")
# As BenchmarkDotNet 0.15.8 writes a benchmark that threw: no statistics, no measurements, no metrics, no bytes.
failed["Measurements"] = []; failed["Statistics"] = None; del failed["Metrics"]
failed["Memory"] = {"Gen0Collections": 0, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 0, "BytesAllocatedPerOperation": None}
write(enc, "unusable-failed", ENC, "results"); write(d, "unusable-failed", DEC, "results")
# short-job: a real --job short run (3 iterations a benchmark), as BenchmarkDotNet compresses it.
os.makedirs(os.path.join(out, "short-job", "results"), exist_ok=True)
for name in (ENC, DEC):
    src = glob.glob(os.path.join(short, "results", name.replace("-full.json", "-full-compressed.json")))[0]
    shutil.copy(src, os.path.join(out, "short-job", "results", os.path.basename(src)))
print("fixtures written to", out)
