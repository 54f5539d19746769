#!/usr/bin/env python3
"""What would a many-model selector have to know to meet issue 18's numbers?

Issue 18 asks a selector to match the best single model (GPT-4-1106 on both sets) at <= 50% of its cost, on Arena
(269 prompts every one of 16 models answered, GPT-4 judge scores 1-10) and on RouterBench (945 test prompts of ARC-C,
MBPP and Winogrande, 11 models, correct or not). This script measures oracles that know more than any predictor can
see, and sweeps the same cost trade-off as `ops/router eval --models` (per group of prompts, the model maximising
mean quality - lambda * mean cost, the cheaper model on ties; the upper hull of the resulting points, where a random
mix of two neighbouring choices interpolates):

  - prompt-blind: one group (the best fixed mixes),
  - task oracle: a group per RouterBench task (must match the eval's task-oracle row: 75.5% to match, 0.869 at 50%),
  - task + difficulty oracle: groups by task and by how many of the models answered the prompt well (quantile bins
    of the mean score over every model, 2 to 6 bins), i.e. a selector that knows how hard each prompt is,
  - and whether that difficulty can be read from the prompt: a k-nearest-neighbour estimate of it over word
    unigrams and bigrams of the prompt's last 800 characters (its question), fitted on RouterBench's train split,
    ranked against the truth on the test split within each task (Spearman).

Analysis only: it reads ../shared/data (or --data DIR) and the shipped price table, and needs nothing but Python 3.
RouterBench is local-evaluation data; nothing here is shipped or trained into a router.
Usage: ops/analysis/many-model-ceiling.py [--data ../shared/data]
"""
import argparse
import csv
import gzip
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

from rank_correlation import spearman

BEST = "gpt-4-1106-preview"
TASKS = ["arc_challenge", "mbpp", "winograde"]
ROUTERBENCH_MODELS = [
    "WizardLM/WizardLM-13B-V1.2", "claude-instant-v1", "claude-v1", "claude-v2", "gpt-3.5-turbo-1106",
    "gpt-4-1106-preview", "meta/code-llama-instruct-34b-chat", "meta/llama-2-70b-chat", "mistralai/mistral-7b-chat",
    "mistralai/mixtral-8x7b-chat", "zero-one-ai/Yi-34B-Chat",
]


def tokens(chars):
    """Tokens.estimateFromChars: four characters a token, rounded up."""
    return (chars + 3) // 4


def routerbench(data, split):
    csv.field_size_limit(1 << 30)
    rows = []
    for task in TASKS:
        with gzip.open(os.path.join(data, "routerbench-subset-routerdc", f"{task}_{split}.csv.gz"), "rt") as f:
            for row in csv.DictReader(f):
                if all(row.get(m, "") != "" and row.get(m + "|total_cost", "") != "" for m in ROUTERBENCH_MODELS):
                    quality = [float(row[m]) for m in ROUTERBENCH_MODELS]
                    cost = [float(row[m + "|total_cost"]) for m in ROUTERBENCH_MODELS]
                    rows.append({"task": task, "prompt": row["prompt"], "quality": quality, "cost": cost})
    return ROUTERBENCH_MODELS, rows


def arena(data, prices_file):
    folder = os.path.join(data, "arena-hard-auto-arena-bench-v1")
    with open(prices_file) as f:
        prices = json.load(f)["prices"]
    models = sorted(prices)
    prompts = {}
    with gzip.open(os.path.join(folder, "question.jsonl.gz"), "rt") as f:
        for line in f:
            q = json.loads(line)
            prompts[q["question_id"]] = q["turns"][0]
    scores, chars = defaultdict(dict), defaultdict(dict)
    with open(os.path.join(folder, "scores_long.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["gpt4_score"] and row["answer_chars"]:
                scores[row["question_id"]][row["model"]] = float(row["gpt4_score"])
                chars[row["question_id"]][row["model"]] = int(float(row["answer_chars"]))
    rows = []
    for qid, prompt in prompts.items():
        if all(m in scores[qid] for m in models):
            p = tokens(len(prompt))
            cost = [
                (p * prices[m]["input_per_million"] + tokens(chars[qid][m]) * prices[m]["output_per_million"]) / 1e6
                for m in models
            ]
            rows.append({"task": "chat", "prompt": prompt, "quality": [scores[qid][m] for m in models], "cost": cost})
    return models, rows


def sweep(rows, group_of, best):
    """The upper hull of (cost share of the best model, mean quality) over lambda, one choice per group."""
    groups = defaultdict(list)
    for row in rows:
        groups[group_of(row)].append(row)
    means = []
    for members in groups.values():
        k = len(members[0]["quality"])
        means.append((
            len(members),
            [sum(r["quality"][j] for r in members) / len(members) for j in range(k)],
            [sum(r["cost"][j] for r in members) / len(members) for j in range(k)],
        ))
    n = len(rows)
    best_cost = sum(r["cost"][best] for r in rows) / n
    points = set()
    for step in range(-1, 801):
        lam = 0.0 if step < 0 else 10 ** (-4 + step / 100)
        quality = cost = 0.0
        for size, q, c in means:
            j = max(range(len(q)), key=lambda m: (q[m] - lam * c[m] / best_cost, -c[m]))
            quality += size * q[j]
            cost += size * c[j]
        points.add((cost / n / best_cost, quality / n))
    hull = []
    for point in sorted(points):
        if hull and point[1] <= hull[-1][1]:
            continue  # a costlier point must be better to count
        if hull and point[0] == hull[-1][0]:
            hull.pop()  # the same cost, better quality: it replaces the other
        while len(hull) >= 2 and cross(hull[-2], hull[-1], point) >= 0:
            hull.pop()  # and a point must lie above the line of its neighbours
        hull.append(point)
    return hull


def cross(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def quality_at(hull, share):
    if share < hull[0][0]:
        return float("nan")
    for (x0, q0), (x1, q1) in zip(hull, hull[1:]):
        if x0 <= share <= x1:
            return q0 + (q1 - q0) * (share - x0) / (x1 - x0)
    return hull[-1][1]


def share_to_match(hull, target):
    for (x0, q0), (x1, q1) in zip([hull[0]] + hull, hull):
        if q1 >= target - 1e-12:
            return x1 if q1 == q0 else x0 + (x1 - x0) * (target - q0) / (q1 - q0)
    return float("nan")


def difficulty_bins(rows, bins):
    """Quantile bins of the mean score over every model, per task. RouterBench's means are multiples of 1/11, so
    tied edges can leave fewer bins than asked for: an oracle that knows less, never more."""
    edges = {}
    for task in {r["task"] for r in rows}:
        means = sorted(mean(r["quality"]) for r in rows if r["task"] == task)
        edges[task] = [means[int(len(means) * b / bins)] for b in range(1, bins)]
    return lambda r: (r["task"], sum(mean(r["quality"]) >= e for e in edges[r["task"]]))


def mean(values):
    return sum(values) / len(values)


def report(name, models, rows):
    best = models.index(BEST)
    target = mean([r["quality"][best] for r in rows])
    print(f"\n{name}: {len(rows)} prompts, {len(models)} models; {BEST}: {target:.3f}")
    print(f"{'oracle (what it knows)':44s} {'cost to match':>13s} {'at 50%':>8s} {'at 10%':>8s}")
    oracles = [("prompt-blind (nothing)", lambda r: "all")]
    if len({r["task"] for r in rows}) > 1:
        oracles.append(("task", lambda r: r["task"]))
    for bins in (2, 3, 4, 6):
        oracles.append((f"task + difficulty in {bins} bins", difficulty_bins(rows, bins)))
    for label, group_of in oracles:
        hull = sweep(rows, group_of, best)
        print(
            f"{label:44s} {share_to_match(hull, target):13.1%} {quality_at(hull, 0.5):8.3f} "
            f"{quality_at(hull, 0.1):8.3f}")


def words(prompt):
    w = re.findall(r"[a-z0-9]+", prompt[-800:].lower())
    return Counter(w + [a + " " + b for a, b in zip(w, w[1:])])


def nan_if_none(r):
    return float("nan") if r is None else r


def difficulty_from_text(train, test, k=25):
    """Per task: the mean difficulty of the k most similar training prompts (TF-IDF cosine), against the truth."""
    print(f"\nCan difficulty be read from the prompt? k={k} nearest training prompts (RouterBench train split), "
          "Spearman with the true mean score on the test split:")
    for task in TASKS:
        tr = [r for r in train if r["task"] == task]
        te = [r for r in test if r["task"] == task]
        bags = [words(r["prompt"]) for r in tr]
        df = Counter(t for bag in bags for t in bag)
        idf = {t: math.log(len(tr) / d) for t, d in df.items()}

        def vector(bag):
            v = {t: (1 + math.log(c)) * idf[t] for t, c in bag.items() if t in idf}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {t: x / norm for t, x in v.items()}

        train_vectors = [vector(b) for b in bags]
        predicted = []
        for r in te:
            v = vector(words(r["prompt"]))
            sims = sorted(
                ((sum(x * u.get(t, 0.0) for t, x in v.items()), i) for i, u in enumerate(train_vectors)),
                reverse=True)[:k]
            predicted.append(mean([mean(tr[i]["quality"]) for _, i in sims]))
        truth = [mean(r["quality"]) for r in te]
        print(f"  {task:14s} train {len(tr):5d}  test {len(te):4d}  Spearman {nan_if_none(spearman(predicted, truth)):+.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--data", default=os.path.join(here, "..", "..", "..", "shared", "data"),
                        help="the shared data folder (default ../shared/data)")
    parser.add_argument("--prices", default=os.path.join(
        here, "..", "..", "router-core", "src", "main", "resources", "kroute", "prices", "arena-2023.json"),
                        help="the Arena price table (default: the shipped arena-2023)")
    args = parser.parse_args()
    for folder in ("arena-hard-auto-arena-bench-v1", "routerbench-subset-routerdc"):
        if not os.path.isdir(os.path.join(args.data, folder)):
            sys.exit(f"many-model-ceiling: no {folder} folder under {args.data} (pass --data DIR)")
    report("Arena (GPT-4 judge scores, arena-2023 prices)", *arena(args.data, args.prices))
    models, test = routerbench(args.data, "test")
    report("RouterBench test (correct or not, recorded USD costs)", models, test)
    difficulty_from_text(routerbench(args.data, "train")[1], test)


if __name__ == "__main__":
    main()
