"""The scheduler on simulated students: fitted parameters against the defaults, item
difficulty from the class, load balancing, and what a fit and a replay cost.

    .venv/bin/python bench/scheduler.py [--students 20] [--days 365] [--cards 2000]

Each simulated student (studyapp/scheduling/simulation.py) has a true memory: FSRS-6 with
every weight the default's times e^N(0, 0.25), and every question a true difficulty offset
N(0, 1.5) shared by the class; they study the same 2,000-card set every day for a year,
20 new cards a day, scheduled with the default parameters (as the app does before a fit).

1. Prediction: each student's reviews are split in time (the newest 20% held out); on the
   held-out reviews, log loss and RMSE (bins) of (a) the default parameters, (b) parameters
   fitted on the earlier 80%, (c) those plus the class's item difficulty, learnt from the
   other half of the class's earlier reviews. Also how often a fit beats the defaults when a
   student has only their first N reviews (why fitting waits for 1,000).
2. Load: reviews of already-learnt cards per day once every card has been introduced, with
   and without load balancing (same students, same true memory): the mean, the peak day,
   and the peak day's excess over its own week's mean (the spike balancing flattens, apart
   from the trend as intervals grow), and the true retention both ways; for daily new cards
   and for a weekly batch of new cards.
3. Cost: fsrs-rs fit and the whole refit (split, fit, both evaluations) at 1k, 10k and 100k
   logged reviews; replaying a 100k-review student after a refit.
The last line is the share of students for whom (b) beats (a).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studyapp import srs  # noqa: E402
from studyapp.scheduling import class_difficulty, fitting, simulation  # noqa: E402
from studyapp.scheduling.evaluation import evaluate  # noqa: E402
from studyapp.scheduling.items import training_items  # noqa: E402
from studyapp.srs import DEFAULT_PARAMETERS  # noqa: E402


def mean(xs):
    return sum(xs) / len(xs)


def prediction(args, rng):
    offsets = simulation.draw_item_offsets(rng, args.cards)
    students = []
    t = time.perf_counter()
    for s in range(args.students):
        truth = simulation.draw_parameters(rng)
        sim = simulation.simulate(truth, offsets, days=args.days, new_per_day=args.new_per_day,
                                  seed=s)
        items = training_items(sim.reviews())
        earlier, later = fitting.time_split(items)
        students.append({"truth": truth, "items": items, "earlier": earlier, "later": later,
                         "fitted": fitting.fit(earlier), "reviews": sum(sim.reviews_per_day)})
    print(f"simulated and fitted {args.students} students in {time.perf_counter() - t:.0f} s "
          f"({mean([s['reviews'] for s in students]):.0f} reviews each on average, "
          f"{mean([len(s['later']) for s in students]):.0f} held out)")

    # (c): offsets learnt from the other half's earlier reviews, with their fitted parameters.
    logs = [class_difficulty.StudentLog(s["fitted"], s["earlier"],
                                        {c: c for c in range(args.cards)}) for s in students]
    learnt = [class_difficulty.item_offsets(logs[1::2]), class_difficulty.item_offsets(logs[0::2])]
    rows = []
    for i, s in enumerate(students):
        offs = learnt[i % 2]
        rows.append({
            "a": evaluate(DEFAULT_PARAMETERS, s["later"]),
            "b": evaluate(s["fitted"], s["later"]),
            "c": evaluate(s["fitted"], s["later"], {c: offs.get(c, 0.0) for c in range(args.cards)}),
            "true": evaluate(s["truth"], s["later"]),
        })
    print("\n1. held-out reviews (mean over students)")
    print(f"   {'parameters':38} {'log loss':>9} {'RMSE(bins)':>11}")
    for key, label in (("a", "(a) defaults"), ("b", "(b) fitted"),
                       ("c", "(c) fitted + class item difficulty"),
                       ("true", "the students' true memory (a floor)")):
        print(f"   {label:38} {mean([r[key].log_loss for r in rows]):9.4f} "
              f"{mean([r[key].rmse_bins for r in rows]):11.4f}")
    b_wins = sum(r["b"].beats(r["a"]) for r in rows)
    c_wins = sum(r["c"].beats(r["a"]) for r in rows)
    c_over_b = sum(r["c"].beats(r["b"]) for r in rows)
    print(f"   (b) beats (a) for {b_wins}/{len(rows)} students, (c) beats (a) for "
          f"{c_wins}/{len(rows)}, (c) beats (b) for {c_over_b}/{len(rows)}")
    gain = class_difficulty.held_out_gain(logs)
    print(f"   class item difficulty on held-out students' first {class_difficulty.EARLY_REVIEWS} "
          f"long-term reviews per card: log loss {gain.without.log_loss:.4f} without, "
          f"{gain.with_offsets.log_loss:.4f} with ({gain.without.count} reviews) -> "
          f"{'kept' if gain.helps else 'not kept'}")

    print("\n   a fit on a student's first N reviews to predict, against the defaults, "
          "on the next ones held out:")
    for n in (200, 400, 1000, 2000, 4000):
        wins = [fitting.refit(s["items"][:n], min_reviews=0).kept
                for s in students if len(s["items"]) >= n]
        print(f"   N = {n:5}: the fit predicts better for {sum(wins)}/{len(wins)} students")
    return b_wins / len(rows)


def load(args, rng):
    print("\n2. reviews of already-learnt cards per day, after every card was introduced "
          "(mean over students)")
    print(f"   {'new cards':16} {'balancing':>9} {'mean/day':>9} {'peak day':>9} "
          f"{'peak over its week':>19} {'true retention':>15}")
    offsets = simulation.draw_item_offsets(rng, args.cards)
    truths = [simulation.draw_parameters(rng) for _ in range(args.load_students)]
    for label, every in (("20 every day", 1), ("140 once a week", 7)):
        figures = defaultdict(list)
        for s, truth in enumerate(truths):
            for balance in (False, True):
                sim = simulation.simulate(truth, offsets, days=args.days, seed=s, balance=balance,
                                          new_per_day=args.new_per_day, new_every=every)
                first = -(-args.cards // args.new_per_day) + 7  # a week after the last new card
                per_day = sim.due_reviews_per_day
                steady = per_day[first:]
                over_week = max(per_day[d] - mean(per_day[d - 3:d + 4])
                                for d in range(first, len(per_day) - 3))
                figures[balance].append((mean(steady), max(steady), over_week,
                                         sim.true_retention))
        for balance in (False, True):
            f = figures[balance]
            print(f"   {label:16} {'on' if balance else 'off':>9} "
                  f"{mean([x[0] for x in f]):9.1f} {mean([x[1] for x in f]):9.1f} "
                  f"{mean([x[2] for x in f]):19.1f} {mean([x[3] for x in f]):15.4f}")
        peak, spike = (1 - mean([x[i] for x in figures[True]]) / mean([x[i] for x in figures[False]])
                       for i in (1, 2))
        print(f"   {label:16} with balancing: peak day {peak:.0%} lower, its excess over its "
              f"week {spike:.0%} lower")


def cost(args, rng):
    print("\n3. cost")
    truth = simulation.draw_parameters(rng)
    t = time.perf_counter()
    sim = simulation.simulate(truth, simulation.draw_item_offsets(rng, args.big_cards),
                              days=args.days, new_per_day=args.big_cards // 200, seed=99)
    reviews = sorted(sim.reviews(), key=lambda r: r.reviewed_at)
    print(f"   a heavy student: {len(reviews)} reviews simulated in {time.perf_counter() - t:.0f} s")
    for n in (1_000, 10_000, 100_000):
        items = training_items(reviews[:n])
        t = time.perf_counter()
        fitting.fit(items)
        fit_s = time.perf_counter() - t
        t = time.perf_counter()
        fitting.refit(items, min_reviews=0)
        refit_s = time.perf_counter() - t
        print(f"   {min(n, len(reviews)):7} reviews ({len(items):6} to predict): "
              f"fsrs-rs fit {fit_s:6.2f} s, whole refit (split, fit, evaluate both) {refit_s:6.2f} s")
    fitted = fitting.fit(training_items(reviews))
    logs = dict(sim.logs)
    t = time.perf_counter()
    rescheduled = {}
    for card, log in logs.items():
        state = srs.replay(log)
        event = srs.Reschedule(state.last_review, fitted, state.due)
        rescheduled[card] = [*log, event]
    refit_apply = time.perf_counter() - t
    t = time.perf_counter()
    states = {card: srs.replay(log) for card, log in rescheduled.items()}
    replay_s = time.perf_counter() - t
    n = sum(len(log) for log in logs.values())
    print(f"   replay of {n} reviews on {len(states)} cards after a refit: {replay_s:.2f} s "
          f"(recomputing memory and logging the new dues took {refit_apply:.2f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--load-students", type=int, default=6)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--cards", type=int, default=2000)
    parser.add_argument("--new-per-day", type=int, default=20)
    parser.add_argument("--big-cards", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    share = prediction(args, rng)
    load(args, rng)
    cost(args, rng)
    print(f"\nfitted parameters better for {share:.0%} of students")


if __name__ == "__main__":
    main()
