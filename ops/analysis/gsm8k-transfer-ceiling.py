#!/usr/bin/env python3
"""How far can a router get on GSM8K without GSM8K routing labels?

The transfer goal of issue 3 asks for APGR > 0.622 on RouteLLM's GSM8K set (GPT-4-1106 vs Mixtral-8x7B) from a
router trained on other data. A transferred router can at best learn a general notion of "hard word problem".
This script scores the 1,307 decontaminated questions with signals that are *better* than anything a router can
predict from the prompt, and evaluates each one as a router, as `ops/router eval` does (10 thresholds at the
score deciles plus all-weak and all-strong, trapezoid area of the performance-gap-recovered curve):

  - the number of lines of the gold worked solution (test.jsonl; a router never sees it),
  - the number of calculator steps in it,
  - which questions GPT-3 6B / 175B got wrong (openai-gsm8k-model-solutions: another model pair's labels on the
    same questions, i.e. a perfect "general difficulty" from elsewhere),
  - each of these plus prompt length (z-scores added),
  - prompt length alone (must match the `length` row of `ops/router eval --benchmark gsm8k`, 0.5987).

Analysis only: it reads ../shared/data (or --data DIR) and needs nothing but Python 3.
Usage: ops/analysis/gsm8k-transfer-ceiling.py [--data ../shared/data]
"""
import argparse
import csv
import gzip
import json
import os
import random
import statistics
import sys

STRONG = "gpt-4-1106-preview"
WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1"
VARIANTS = ["6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"]


def quantile(sorted_scores, fraction):
    """Linear interpolation between order statistics, as ThresholdCalibrator.quantile."""
    position = fraction * (len(sorted_scores) - 1)
    lower = int(position)
    upper = min(len(sorted_scores) - 1, lower + 1)
    return sorted_scores[lower] + (position - lower) * (sorted_scores[upper] - sorted_scores[lower])


def apgr(strong, weak, scores):
    """RoutingEvaluation.evaluate: strong calls for score >= threshold, thresholds at the deciles."""
    n = len(scores)
    ordered = sorted(scores)
    thresholds = [float("inf")] + [quantile(ordered, d / 10) for d in range(9, 0, -1)] + [float("-inf")]
    curve = []
    for t in thresholds:
        routed = [s >= t for s in scores]
        quality = sum(strong[i] if routed[i] else weak[i] for i in range(n)) / n
        curve.append((sum(routed) / n, quality))
    curve.sort()
    s_mean, w_mean = sum(strong) / n, sum(weak) / n
    area = 0.0
    for (x0, q0), (x1, q1) in zip(curve, curve[1:]):
        area += (x1 - x0) * ((q0 - w_mean) + (q1 - w_mean)) / 2
    return area / (s_mean - w_mean)


def z(values):
    mean, sd = statistics.fmean(values), statistics.pstdev(values)
    return [(v - mean) / sd for v in values]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data")
    parser.add_argument("--data", default=default_data, help="the shared data folder (default ../shared/data)")
    args = parser.parse_args()
    gsm = os.path.join(args.data, "routellm-gsm8k")
    if not os.path.isdir(gsm):
        sys.exit(f"gsm8k-transfer-ceiling: no routellm-gsm8k folder under {args.data} (pass --data DIR)")

    contaminated = {json.loads(line)["eval_idx"] for line in open(os.path.join(gsm, "contaminated_prompts.jsonl"))}
    with open(os.path.join(gsm, "test.jsonl")) as f:
        gold = [json.loads(line)["answer"] for line in f]
    with gzip.open(os.path.join(args.data, "openai-gsm8k-model-solutions", "example_model_solutions.jsonl.gz")) as f:
        gpt3 = [json.loads(line) for line in f]
    with open(os.path.join(gsm, "gsm8k_responses.csv"), newline="") as f:
        responses = list(csv.DictReader(f))

    strong, weak, length, lines, calls, gpt3_wrong = [], [], [], [], [], []
    for i, row in enumerate(responses):
        if i in contaminated:
            continue
        if gpt3[i]["question"].strip() != row["prompt"].strip():
            sys.exit(f"gsm8k-transfer-ceiling: question {i} differs between the two GSM8K files")
        strong.append(1.0 if row[STRONG] == "True" else 0.0)
        weak.append(1.0 if row[WEAK] == "True" else 0.0)
        length.append(len(row["prompt"]))
        worked = gold[i].split("####")[0]
        lines.append(sum(1 for line in worked.split("\n") if line.strip()))
        calls.append(worked.count("<<"))
        gpt3_wrong.append([0 if gpt3[i][k]["is_correct"] else 1 for k in VARIANTS])

    n = len(strong)
    print(f"GSM8K: {n} prompts, strong {sum(strong) / n:.4f}, weak {sum(weak) / n:.4f}")
    # Integer signals tie a lot; ties are broken at random (fixed seed) so the deciles are real deciles.
    rng = random.Random(0)
    jitter = [rng.random() * 1e-6 for _ in range(n)]
    tie_broken = lambda v: [a + b for a, b in zip(v, jitter)]
    add = lambda *vs: [sum(t) for t in zip(*vs)]
    wrong_count = [sum(w) for w in gpt3_wrong]
    rows = [("prompt length (chars)", length)]
    rows.append(("gold solution lines", tie_broken(lines)))
    rows.append(("gold calculator steps", tie_broken(calls)))
    for k, name in enumerate(VARIANTS):
        rows.append((f"GPT-3 {name} wrong", tie_broken([w[k] for w in gpt3_wrong])))
    rows.append(("GPT-3 variants wrong (count of 4)", tie_broken(wrong_count)))
    rows.append(("gold solution lines + length", add(z(lines), z(length))))
    rows.append(("GPT-3 wrong count + length", add(z(wrong_count), z(length))))
    rows.append(("GPT-3 wrong count + lines + length", add(z(wrong_count), z(lines), z(length))))
    print(f"{'signal (none is visible to a router)':40s} APGR")
    for name, scores in rows:
        print(f"{name:40s} {apgr(strong, weak, scores):.4f}")
    print(f"{'goal (transfer)':40s} > 0.622")


if __name__ == "__main__":
    main()
