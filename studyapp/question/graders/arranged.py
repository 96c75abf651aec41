"""Answers that arrange what the question offers: pairs matched, items put in order.
Partial credit as Moodle computes it (qtype_match; qtype_ordering's default grading)."""

from __future__ import annotations

from collections.abc import Mapping

from .choices import pick_option
from .common import (
    DEFAULT_CONTEXT,
    AnswerFormatError,
    Context,
    Grade,
    QuestionError,
    as_list,
    as_text,
    scored,
)


def distinct(values) -> list[str]:
    """The values in their first order, each once (a right-hand side may serve two stems)."""
    return list(dict.fromkeys(values))


def grade_matching(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    """One right-hand item chosen for each left-hand item; the score is the share of left
    items matched right (Moodle's matching question). `given` is {left: right}, or the
    right-hand items in the order of the left ones (as [left, right] pairs or bare)."""
    offered = [(as_text(left), as_text(right)) for left, right in question.pairs or ()]
    pairs = [(left, right) for left, right in offered if left]  # no left item: a distractor
    if not pairs:
        raise QuestionError("matching question has no pairs")
    lefts, rights = [left for left, _ in pairs], distinct(right for _, right in offered)
    chosen = _chosen_rights(lefts, given)
    missing = [left for left in lefts if not as_text(chosen.get(left))]
    if missing:
        raise AnswerFormatError(f"Match every item ({len(lefts) - len(missing)} of {len(lefts)} matched)")
    picked = {left: pick_option(rights, chosen[left], by_index=False) for left in lefts}
    right = sum(picked[left] == r for left, r in pairs)
    return scored(right / len(pairs), render_pairs(pairs), render_pairs(picked.items()))


def _chosen_rights(lefts: list[str], given: object) -> dict:
    if isinstance(given, Mapping):
        unknown = [k for k in given if as_text(k) not in lefts]
        if unknown:
            raise AnswerFormatError(f"{as_text(unknown[0])!r} is not one of the items to match")
        return {as_text(k): v for k, v in given.items()}
    entries = as_list(given, "Match every item")
    if all(isinstance(e, (list, tuple)) and len(e) == 2 for e in entries):
        return _chosen_rights(lefts, {as_text(k): v for k, v in entries})
    if len(entries) != len(lefts):
        raise AnswerFormatError(f"Match every item ({len(entries)} of {len(lefts)} matched)")
    return dict(zip(lefts, entries, strict=True))


def grade_ordering(question, given: object, context: Context = DEFAULT_CONTEXT) -> Grade:
    """The items in the student's order. Scored as Moodle's ordering question does by
    default ("relative to the next item, excluding the last"): each item but the last
    placed right before the item that truly follows it earns 1/(n-1)."""
    items = [as_text(i) for i in question.items or ()]
    if len(items) < 2:
        raise QuestionError("ordering question needs at least two items")
    order = [pick_option(items, g, by_index=False) for g in as_list(given, "Put the items in order")]
    if sorted(order) != sorted(items):
        raise AnswerFormatError(f"Put all {len(items)} items in order, each once")
    follows = {a: b for a, b in zip(items, items[1:], strict=False)}
    right = sum(follows.get(a) == b for a, b in zip(order, order[1:], strict=False))
    return scored(right / (len(items) - 1), render_order(items), render_order(order))


def render_pairs(pairs) -> str:
    return "; ".join(f"{left} → {right}" for left, right in pairs if left)


def render_order(items) -> str:
    return " → ".join(items)
