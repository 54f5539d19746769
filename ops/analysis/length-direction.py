#!/usr/bin/env python3
"""Which way does a prompt's length (and every other signal a router can read off its surface) point, per source?

Issue 14 asks the shipped `default` to score at least the length prior, and above 0.5, on every source held out by
`ops/router eval --protocol leave-one-out`. A router held out from a source learns from the shippable sources
(Arena, GSM8K, MMLU) which way each signal points. This script measures, per source, the Spearman correlation of
simple surface signals with the pair's gain (GPT-4-1106's score minus Mixtral-8x7B's on the same prompt), with a
90% bootstrap interval (300 resamples, fixed seed): `+` / `-` where the interval excludes 0; "sparse" where all but
fewer than 20 prompts of a source share one value of the signal (a flag a few have or a few lack), whose resamples
all share one sign.

It reads the scored files that `ops/router data --dataset NAME --format scored --out FILE` writes (the same readers,
contamination filters and pair names as the eval), and writes them first into --work when they are missing.
AlpacaEval and RouterBench are local-evaluation data; nothing here is shipped or trained into a router.
Usage: ops/analysis/length-direction.py [--work DIR]   (Python 3, standard library only)
"""
import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter

from rank_correlation import spearman

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# (strong, weak) as the eval names them per data set; RouterBench is split into its tasks
PAIRS = {
    "arena": ("gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    "gsm8k": ("gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    "mmlu": ("gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"),
    "alpacaeval": ("gpt4_1106_preview", "Mixtral-8x7B-Instruct-v0.1_concise"),
    "routerbench": ("gpt-4-1106-preview", "mistralai/mixtral-8x7b-chat"),
}
ORDER = ["arena", "gsm8k", "mmlu", "alpacaeval", "arc_challenge", "mbpp", "winograde"]
SHOWN = {"arena": "Arena", "gsm8k": "GSM8K", "mmlu": "MMLU", "alpacaeval": "AlpacaEval", "arc_challenge": "ARC-C",
         "mbpp": "MBPP", "winograde": "Winogrande"}
SPARSE = 20  # fewer prompts than this on one side of a signal: no interval
SHIPPABLE = {"arena", "gsm8k", "mmlu"}

CODE = re.compile(r"```|\bdef |\bfunction\b|\bpython\b|\bjava\b|\bcode\b|[{};]")
IMPERATIVE = re.compile(r"^\s*(write|create|generate|give|list|explain|describe|make|compose|tell|suggest|rewrite"
                        r"|summar)", re.I)
OPTION = re.compile(r"(^|\n)\s*\(?[A-D][).:]\s")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SENTENCE_END = re.compile(r"[.?!](\s|$)")
SIGNALS = {
    "length (log characters)": lambda p: math.log1p(len(p)),
    "lines": lambda p: math.log1p(p.count("\n")),
    "sentences": lambda p: len(SENTENCE_END.findall(p)),
    "numbers": lambda p: math.log1p(len(NUMBER.findall(p))),
    "share of digits": lambda p: sum(c.isdigit() for c in p) / max(1, len(p)),
    "a question mark": lambda p: float("?" in p),
    "code markers": lambda p: math.log1p(len(CODE.findall(p))),
    "starts with an instruction verb": lambda p: float(bool(IMPERATIVE.match(p))),
    "multiple-choice options": lambda p: float(len(OPTION.findall(p)) >= 2),
    "mean word length": lambda p: sum(len(w) for w in p.split()) / max(1, len(p.split())),
}

FORMS = {
    "starts with an instruction verb": lambda p: bool(IMPERATIVE.match(p)),
    "a question (no instruction verb first)": lambda p: not IMPERATIVE.match(p) and "?" in p,
    "neither": lambda p: not IMPERATIVE.match(p) and "?" not in p,
}


def scored(work):
    sources = {}
    for name, (strong, weak) in PAIRS.items():
        path = os.path.join(work, name + ".scored.jsonl")
        if not os.path.exists(path):
            partial = path + ".partial"  # renamed once complete, so an interrupted run is not read as whole
            subprocess.run([os.path.join(ROOT, "ops", "router"), "data", "--dataset", name, "--format", "scored",
                            "--out", partial], check=True, stdout=sys.stderr)
            os.replace(partial, path)
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                scores = row["scores"]
                if not isinstance(row["prompt"], str) or not all(
                        isinstance(v, (int, float)) for v in scores.values()):
                    raise ValueError(f"{name}: a row without a text prompt and numeric scores")
                if strong in scores and weak in scores:
                    source = name if name != "routerbench" else row["id"].split("/")[0].split("-", 1)[1]
                    sources.setdefault(source, []).append((row["prompt"], scores[strong] - scores[weak]))
    return sources


def cell(x, y, rng):
    rho = spearman(x, y)
    if rho is None:
        return "constant"
    # A signal that all but a handful of prompts share one value of (a flag a few have, or a few lack) gives every
    # resample the same sign: no interval for it.
    if len(x) - max(Counter(x).values()) < SPARSE:
        return f"{rho:+.2f} (sparse)"
    boot = []
    for _ in range(300):
        pick = [rng.randrange(len(x)) for _ in x]
        r = spearman([x[i] for i in pick], [y[i] for i in pick])
        if r is not None:
            boot.append(r)
    if len(boot) < 270:
        return f"{rho:+.2f} (sparse)"
    boot.sort()
    lo, hi = boot[int(0.05 * len(boot))], boot[int(0.95 * len(boot)) - 1]
    return f"{rho:+.2f} {'+' if lo > 0 else '-' if hi < 0 else ' '}".rstrip()


def fail(message):
    """One line and exit 2, as every kroute command refuses bad input."""
    print(f"length-direction: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default=os.path.join(ROOT, "target", "length-direction"),
                        help="where the scored files are read from, or written first")
    args = parser.parse_args()
    args.work = os.path.abspath(args.work)  # ops/router writes relative to the repository, not to here
    try:
        os.makedirs(args.work, exist_ok=True)
        sources = scored(args.work)
    except (OSError, subprocess.CalledProcessError) as e:
        fail(str(e))
    except (ValueError, KeyError, TypeError) as e:  # a damaged scored file (json.JSONDecodeError is a ValueError)
        fail(f"a scored file in {args.work} is damaged ({e}); delete it to write it again")
    missing = [s for s in ORDER if s not in sources]
    if missing:
        fail(f"no prompts of the pair for {missing}")
    rng = random.Random(0)
    head = [f"{SHOWN[s]}{' (ships)' if s in SHIPPABLE else ''}, {len(sources[s])}" for s in ORDER]
    print("| Spearman with the gain | " + " | ".join(head) + " |")
    print("|---" * (len(ORDER) + 1) + "|")
    for name, signal in SIGNALS.items():
        cells = []
        for s in ORDER:
            x = [signal(p) for p, _ in sources[s]]
            y = [g for _, g in sources[s]]
            cells.append(cell(x, y, rng))
        print(f"| {name} | " + " | ".join(cells) + " |")
    # Is the flip a matter of the kind of prompt (instructions are long and easy, questions long and hard)? Then
    # length would point the same way within each kind on every source, and a router could learn the kind.
    print()
    print("| length within a kind of prompt | " + " | ".join(head) + " |")
    print("|---" * (len(ORDER) + 1) + "|")
    for kind, member in FORMS.items():
        cells = []
        for s in ORDER:
            pairs = [(p, g) for p, g in sources[s] if member(p)]
            cells.append("-" if len(pairs) < 20 else
                         f"{cell([math.log1p(len(p)) for p, _ in pairs], [g for _, g in pairs], rng)} ({len(pairs)})")
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
