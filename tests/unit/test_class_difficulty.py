"""Item difficulty from the class: questions the class finds harder get a higher starting
difficulty, only questions enough students reviewed get one, and its benefit is measured on
students it was not learnt from."""

import random
from functools import lru_cache

from studyapp.scheduling import class_difficulty, simulation
from studyapp.scheduling.items import training_items
from studyapp.srs import DEFAULT_PARAMETERS

QUESTIONS = 40
# Half the questions are much harder than FSRS assumes for a new card, half as assumed.
TRUE_OFFSETS = [4.0 if q % 2 else 0.0 for q in range(QUESTIONS)]


@lru_cache(maxsize=1)
def the_class(students=10):
    out = []
    for s in range(students):
        truth = simulation.draw_parameters(random.Random(s), spread=0.1)
        sim = simulation.simulate(truth, TRUE_OFFSETS, days=240, new_per_day=5, seed=s)
        out.append(class_difficulty.StudentLog(
            DEFAULT_PARAMETERS, training_items(sim.reviews()), {q: q for q in range(QUESTIONS)}))
    return tuple(out)


def test_harder_questions_get_a_higher_starting_difficulty():
    offsets = class_difficulty.item_offsets(the_class())
    assert set(offsets) == set(range(QUESTIONS))
    hard = [offsets[q] for q in range(QUESTIONS) if TRUE_OFFSETS[q]]
    usual = [offsets[q] for q in range(QUESTIONS) if not TRUE_OFFSETS[q]]
    assert sum(hard) / len(hard) > sum(usual) / len(usual) + 0.5


def test_questions_few_students_reviewed_get_none():
    four = the_class()[:4]
    assert class_difficulty.item_offsets(four) == {}
    assert set(class_difficulty.item_offsets(four, min_students=4)) == set(range(QUESTIONS))


def test_the_gain_is_measured_on_held_out_students_early_reviews():
    gain = class_difficulty.held_out_gain(the_class())
    early = sum(len(class_difficulty.early(s.items)) for s in the_class())
    assert gain.without.count == gain.with_offsets.count == early
    assert gain.helps == (gain.with_offsets.log_loss < gain.without.log_loss)
