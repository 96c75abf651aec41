"""What if the desired retention were different: the workload and retention fsrs-rs's
simulator predicts for a student at each choice, so they choose with numbers.

The simulation uses the student's own parameters, the size of what they study, their new
cards a day and fsrs-rs's default study habits (rating shares, seconds per review); it
starts from no cards studied and runs a year, so the figures compare the choices with each
other rather than forecast this student's next days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fsrs_rs_python import default_simulator_config, simulate

from ..srs import Parameters

CHOICES = (0.80, 0.85, 0.90, 0.95)
DAYS = 365
SEED = 2024  # the simulator is random: one seed for every choice, the same every time


@dataclass(frozen=True)
class Outcome:
    desired_retention: float
    reviews_per_day: float
    minutes_per_day: float
    retention: float  # share of reviews recalled
    memorized: float  # cards' summed chance of recall at the end

    def as_dict(self) -> dict:
        return {"desired_retention": self.desired_retention,
                "reviews_per_day": round(self.reviews_per_day, 1),
                "minutes_per_day": round(self.minutes_per_day, 1),
                "retention": round(self.retention, 3), "memorized": round(self.memorized)}


def what_if(parameters: Parameters, cards: int, new_per_day: int,
            choices: Sequence[float] = CHOICES, days: int = DAYS) -> list[Outcome]:
    if cards < 1 or new_per_day < 1:
        raise ValueError("a simulation needs at least one card and one new card a day")
    config = default_simulator_config()
    config.deck_size, config.learn_span, config.learn_limit = cards, days, new_per_day
    out = []
    for r in choices:
        result = simulate(list(parameters), r, config, SEED)
        reviews = sum(result.review_cnt_per_day)
        out.append(Outcome(r, reviews / days, sum(result.cost_per_day) / days / 60,
                           sum(result.correct_cnt_per_day) / reviews if reviews else 0.0,
                           result.memorized_cnt_per_day[-1]))
    return out
