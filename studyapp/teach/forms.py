"""WTForms for the instructor pages: one question form per type, sets, classes, uploads."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..interchange import IMPORTABLE
from ..question import FactKind, QuestionType, limits, parse_number, valid_tolerance
from ..question import Question as QuestionData

TYPE_LABELS = {t.value: t.label for t in QuestionType}
# Each question form registers itself here under its type (see QuestionForm).
QUESTION_FORMS: dict[str, type[QuestionForm]] = {}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _tags(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[,\n]", text or "") if t.strip()]


class QuestionForm(FlaskForm):
    """Fields every type shares; a subclass adds the answer fields of its type and, by
    naming its `qtype`, becomes the form for that type."""

    qtype = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.qtype:
            QUESTION_FORMS[QuestionType(cls.qtype).value] = cls
    prompt = TextAreaField("Question", validators=[DataRequired(), Length(max=4000)])
    explanation = TextAreaField("Explanation (shown after answering)",
                                validators=[Optional(), Length(max=4000)])
    source_quote = TextAreaField("Source sentence", validators=[Optional(), Length(max=4000)],
                                 description="The sentence of the source that supports the answer.")
    topic = StringField("Topic", validators=[Optional(), Length(max=200)])
    fact_kind = SelectField("Kind of fact", default="other",
                            choices=[SelectChoice(k.value, k.label) for k in FactKind])
    tags = StringField("Tags", validators=[Optional(), Length(max=500)],
                       description="Separate tags with commas.")

    def answer_data(self) -> dict:
        raise NotImplementedError

    def fill_answer(self, q) -> None:
        raise NotImplementedError

    def to_data(self, old=None) -> dict:
        """The question as a bank dict; `old` (the row being edited) lends what the form
        does not show: source offsets, partial credit and feedback per answer (kept for the
        answers and options that are still there)."""
        source = dict((old.source if old else None) or {})
        quote = (self.source_quote.data or "").strip()
        if quote and quote != source.get("quote"):
            source = {"quote": quote}  # offsets no longer point at the new text
        elif not quote:
            source = {}
        data = {"type": self.qtype, "prompt": (self.prompt.data or "").strip(),
                "explanation": (self.explanation.data or "").strip(), "topic": (self.topic.data or "").strip(),
                "fact_kind": self.fact_kind.data or "other", "tags": _tags(self.tags.data),
                "source": source or None, "accept": [], **self.answer_data()}
        if old is not None and old.type == self.qtype:
            for name in ("credit", "feedback"):
                kept = _still_offered(getattr(old, name), data)
                if kept:
                    data[name] = kept
            if data.get("choices") is not None and not data.get("accept") and old.accept:
                # other fully right options of a multiple choice (Moodle's several at 100%)
                data["accept"] = [a for a in old.accept if a in data["choices"] and a != data.get("answer")]
            if old.name:
                data["name"] = old.name
        return data

    def fill(self, q) -> None:
        self.prompt.data, self.explanation.data = q.prompt, q.explanation
        self.source_quote.data = (q.source or {}).get("quote") or ""
        self.topic.data, self.fact_kind.data = q.topic, q.fact_kind
        self.tags.data = ", ".join(q.tags or [])
        self.fill_answer(q)


def _still_offered(mapping: dict | None, data: dict) -> dict | None:
    """Entries of a per-answer mapping whose option is still offered (typed answers stay)."""
    if not mapping:
        return None
    choices = data.get("choices")
    return {k: v for k, v in mapping.items() if choices is None or k in choices} or None


class _TypedAnswer:
    answer = StringField("Answer", validators=[DataRequired(), Length(max=1000)])
    accept = TextAreaField("Also accept", validators=[Optional(), Length(max=4000)],
                           description="Other answers graded right, one per line.")

    def answer_data(self) -> dict:
        return {"answer": self.answer.data.strip(), "accept": _lines(self.accept.data)}

    def fill_answer(self, q) -> None:
        self.answer.data, self.accept.data = q.answer, "\n".join(q.accept or [])


class ShortAnswerForm(_TypedAnswer, QuestionForm):
    qtype = "short_answer"


class ClozeForm(_TypedAnswer, QuestionForm):
    qtype = "cloze"
    prompt = TextAreaField("Sentence with a blank", validators=[DataRequired(), Length(max=4000)],
                           description="Write the blank as four underscores: ____")

    def validate_prompt(self, field):
        if "____" not in (field.data or ""):
            raise ValidationError("A cloze needs a blank written ____ (four underscores).")


class FlashcardForm(QuestionForm):
    qtype = "flashcard"
    prompt = TextAreaField("Front", validators=[DataRequired(), Length(max=4000)])
    answer = TextAreaField("Back", validators=[DataRequired(), Length(max=4000)])

    def answer_data(self) -> dict:
        return {"answer": self.answer.data.strip()}

    def fill_answer(self, q) -> None:
        self.answer.data = q.answer


class TrueFalseForm(QuestionForm):
    qtype = "true_false"
    prompt = TextAreaField("Statement", validators=[DataRequired(), Length(max=4000)])
    answer = RadioField("The statement is", validators=[InputRequired()],
                        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")])

    def answer_data(self) -> dict:
        return {"answer": self.answer.data}

    def fill_answer(self, q) -> None:
        self.answer.data = q.answer


class NumericForm(QuestionForm):
    qtype = "numeric"
    answer = StringField("Answer (a number)", validators=[DataRequired(), Length(max=100)])
    tolerance = StringField("Tolerance", validators=[Optional(), Length(max=40)],
                            description="Optional: how far off still counts, e.g. 2 or 5%.")
    accept = TextAreaField("Also accept", validators=[Optional(), Length(max=4000)],
                           description="Other ways of writing the answer, one per line "
                                       "(e.g. 12 million).")

    def validate_answer(self, field):
        if parse_number(field.data or "") is None:
            raise ValidationError(f"{field.data!r} is not a number.")

    def validate_tolerance(self, field):
        if not valid_tolerance(field.data):
            raise ValidationError("Give a non-negative number, or a percentage like 5%.")

    def answer_data(self) -> dict:
        return {"answer": self.answer.data.strip(), "tolerance": (self.tolerance.data or "").strip() or None,
                "accept": _lines(self.accept.data)}

    def fill_answer(self, q) -> None:
        self.answer.data, self.tolerance.data = q.answer, q.tolerance or ""
        self.accept.data = "\n".join(q.accept or [])


def _numbered(form_cls, name: str, label: str, slots: int) -> None:
    """Fields name_1 … name_N on a form class (WTForms binds fields set on the class)."""
    for i in range(1, slots + 1):
        setattr(form_cls, f"{name}_{i}", StringField(f"{label} {i}", validators=[Optional(), Length(max=1000)]))


def _filled(form, name: str, slots: int) -> list[tuple[str, str]]:
    return [(str(i), (getattr(form, f"{name}_{i}").data or "").strip()) for i in range(1, slots + 1)]


def _error(field, message: str) -> None:
    field.errors = [*field.errors, message]


class _Options:
    """Options 1-10 (limits.CHOICES) and the check every choice question shares."""

    slots = limits.CHOICES.high

    def options(self) -> list[tuple[str, str]]:
        return _filled(self, "option", self.slots)

    def check_options(self) -> bool:
        filled = [v for _, v in self.options() if v]
        ok = True
        if len(filled) not in limits.CHOICES:
            _error(self.option_1, f"Give {limits.CHOICES.low} to {limits.CHOICES.high} options "
                                  f"(you gave {len(filled)}).")
            ok = False
        folded = [v.casefold() for v in filled]
        if len(set(folded)) != len(folded):
            _error(self.option_1, "The options must all be different.")
            ok = False
        return ok


class MultipleChoiceForm(_Options, QuestionForm):
    qtype = "multiple_choice"
    correct = RadioField("Right option", validators=[InputRequired(message="Mark the right option.")],
                         choices=[SelectChoice(str(i), f"Option {i}") for i in range(1, limits.CHOICES.high + 1)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators) & self.check_options()
        if self.correct.data and not dict(self.options()).get(self.correct.data):
            _error(self.correct, "The right option is empty: mark a filled one.")
            ok = False
        return ok

    def answer_data(self) -> dict:
        opts = dict(self.options())
        return {"answer": opts.get(self.correct.data or "", ""), "choices": [v for _, v in self.options() if v]}

    def fill_answer(self, q) -> None:
        for i, choice in enumerate((q.choices or [])[:self.slots], start=1):
            getattr(self, f"option_{i}").data = choice
            if choice == q.answer:
                self.correct.data = str(i)


class MultipleAnswerForm(_Options, QuestionForm):
    qtype = "multiple_answer"
    right = SelectMultipleField("Right options", choices=[SelectChoice(str(i), f"Option {i}")
                                                          for i in range(1, limits.CHOICES.high + 1)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators) & self.check_options()
        opts = dict(self.options())
        marked = self.right.data or []
        if not marked:
            _error(self.right, "Mark at least one right option.")
            ok = False
        elif any(not opts.get(i) for i in marked):
            _error(self.right, "A right option is empty: mark filled ones.")
            ok = False
        return ok

    def answer_data(self) -> dict:
        opts = dict(self.options())
        return {"answer": [opts[i] for i in sorted(self.right.data or [], key=int) if opts.get(i)],
                "choices": [v for _, v in self.options() if v]}

    def fill_answer(self, q) -> None:
        data = QuestionData.from_row(q)
        self.right.data = []
        for i, choice in enumerate((q.choices or [])[:self.slots], start=1):
            getattr(self, f"option_{i}").data = choice
            if choice in data.answer:
                self.right.data.append(str(i))


class MatchingForm(QuestionForm):
    qtype = "matching"
    slots = limits.PAIRS.high

    def pairs(self) -> list[tuple[str, str]]:
        """Filled rows; a right-hand item with no left one is an extra wrong choice."""
        lefts, rights = dict(_filled(self, "left", self.slots)), dict(_filled(self, "right", self.slots))
        return [(lefts[i], rights[i]) for i in lefts if lefts[i] or rights[i]]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        pairs = [(a, b) for a, b in self.pairs() if a]
        if any(not b for _, b in pairs):
            _error(self.left_1, "Give every left-hand item its right-hand item.")
            ok = False
        elif len(pairs) not in limits.PAIRS:
            _error(self.left_1, f"Give {limits.PAIRS.low} to {limits.PAIRS.high} pairs (you gave {len(pairs)}).")
            ok = False
        elif len({a.casefold() for a, _ in pairs}) != len(pairs):
            _error(self.left_1, "The left-hand items must all be different.")
            ok = False
        return ok

    def answer_data(self) -> dict:
        return {"pairs": [list(p) for p in self.pairs()]}

    def fill_answer(self, q) -> None:
        for i, (a, b) in enumerate((q.pairs or [])[:self.slots], start=1):
            getattr(self, f"left_{i}").data, getattr(self, f"right_{i}").data = a, b


class OrderingForm(QuestionForm):
    qtype = "ordering"
    slots = limits.ITEMS.high

    def items(self) -> list[str]:
        return [v for _, v in _filled(self, "item", self.slots) if v]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        items = self.items()
        if len(items) not in limits.ITEMS:
            _error(self.item_1, f"Give {limits.ITEMS.low} to {limits.ITEMS.high} items (you gave {len(items)}).")
            ok = False
        elif len({v.casefold() for v in items}) != len(items):
            _error(self.item_1, "The items must all be different.")
            ok = False
        return ok

    def answer_data(self) -> dict:
        return {"items": self.items()}

    def fill_answer(self, q) -> None:
        for i, item in enumerate((q.items or [])[:self.slots], start=1):
            getattr(self, f"item_{i}").data = item


for _cls in (MultipleChoiceForm, MultipleAnswerForm):
    _numbered(_cls, "option", "Option", limits.CHOICES.high)
_numbered(MatchingForm, "left", "Left", limits.PAIRS.high)
_numbered(MatchingForm, "right", "Right", limits.PAIRS.high)
_numbered(OrderingForm, "item", "Item", limits.ITEMS.high)


class SetForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=4000)])
    is_public = BooleanField("Public: every student may study it once published")


class CoOwnerForm(FlaskForm):
    email = EmailField("Instructor's e-mail", validators=[DataRequired(), Length(max=254)])


class GenerateForm(FlaskForm):
    document = FileField("Document (.txt, .md or .pdf)", validators=[FileRequired("Choose a file.")])
    title = StringField("Set title", validators=[Optional(), Length(max=300)],
                        description="Leave empty to use the document's own title.")


class ImportForm(FlaskForm):
    file = FileField("File")
    pasted = TextAreaField("Or paste a list", validators=[Optional(), Length(max=1_000_000)],
                           description="One term and its definition a line, separated by a tab "
                                       "(what Quizlet's export gives); each becomes a flashcard.")
    format = SelectField("Format", default="", choices=[
        SelectChoice("", "From the file name (" + ", ".join(sorted({s for f in IMPORTABLE for s in f.suffixes})) + ")"),
        *(SelectChoice(f.name, f.label) for f in IMPORTABLE)])
    title = StringField("Title of the new set", validators=[Optional(), Length(max=300)])
    partial = BooleanField("If some questions have problems, import the others and list those left out",
                           description="Unticked (the default), a file with any problem is "
                                       "rejected whole and nothing changes.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.file.data and getattr(self.file.data, "filename", "")) and not (self.pasted.data or "").strip():
            self.file.errors = [*self.file.errors, "Choose a file, or paste a list."]
            ok = False
        return ok


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=200)])


class AssignForm(FlaskForm):
    set_id = SelectField("Set", coerce=int, choices=[], validate_choice=True)
    due_date = DateField("Due date (optional)", validators=[Optional()])
    target = SelectField("Target", default="", choices=[])


class JoinForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(), Length(max=32)])
