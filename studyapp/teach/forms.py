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
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..interchange import IMPORTABLE
from ..question import FactKind, QuestionType, parse_number, valid_tolerance

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

    def to_data(self, old_source: dict | None = None) -> dict:
        source = dict(old_source or {})
        quote = (self.source_quote.data or "").strip()
        if quote and quote != source.get("quote"):
            source = {"quote": quote}  # offsets no longer point at the new text
        elif not quote:
            source = {}
        return {"type": self.qtype, "prompt": (self.prompt.data or "").strip(),
                "explanation": (self.explanation.data or "").strip(), "topic": (self.topic.data or "").strip(),
                "fact_kind": self.fact_kind.data or "other", "tags": _tags(self.tags.data),
                "source": source or None, "accept": [], **self.answer_data()}

    def fill(self, q) -> None:
        self.prompt.data, self.explanation.data = q.prompt, q.explanation
        self.source_quote.data = (q.source or {}).get("quote") or ""
        self.topic.data, self.fact_kind.data = q.topic, q.fact_kind
        self.tags.data = ", ".join(q.tags or [])
        self.fill_answer(q)


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

    def validate_answer(self, field):
        if parse_number(field.data or "") is None:
            raise ValidationError(f"{field.data!r} is not a number.")

    def validate_tolerance(self, field):
        if not valid_tolerance(field.data):
            raise ValidationError("Give a non-negative number, or a percentage like 5%.")

    def answer_data(self) -> dict:
        return {"answer": self.answer.data.strip(), "tolerance": (self.tolerance.data or "").strip() or None}

    def fill_answer(self, q) -> None:
        self.answer.data, self.tolerance.data = q.answer, q.tolerance or ""


OPTION_SLOTS = 5


class MultipleChoiceForm(QuestionForm):
    qtype = "multiple_choice"
    option_1 = StringField("Option 1", validators=[Optional(), Length(max=500)])
    option_2 = StringField("Option 2", validators=[Optional(), Length(max=500)])
    option_3 = StringField("Option 3", validators=[Optional(), Length(max=500)])
    option_4 = StringField("Option 4", validators=[Optional(), Length(max=500)])
    option_5 = StringField("Option 5", validators=[Optional(), Length(max=500)])
    correct = RadioField("Right option", validators=[InputRequired(message="Mark the right option.")],
                         choices=[SelectChoice(str(i), f"Option {i}") for i in range(1, OPTION_SLOTS + 1)])

    def options(self) -> list[tuple[str, str]]:
        return [(str(i), (getattr(self, f"option_{i}").data or "").strip())
                for i in range(1, OPTION_SLOTS + 1)]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        filled = [(k, v) for k, v in self.options() if v]
        if not 3 <= len(filled) <= 5:
            self.option_1.errors = [*self.option_1.errors, f"Give 3 to 5 options (you gave {len(filled)})."]
            ok = False
        folded = [v.casefold() for _, v in filled]
        if len(set(folded)) != len(folded):
            self.option_1.errors = [*self.option_1.errors, "The options must all be different."]
            ok = False
        if self.correct.data and not dict(self.options()).get(self.correct.data):
            self.correct.errors = [*self.correct.errors, "The right option is empty: mark a filled one."]
            ok = False
        return ok

    def answer_data(self) -> dict:
        opts = dict(self.options())
        return {"answer": opts.get(self.correct.data or "", ""), "choices": [v for _, v in self.options() if v]}

    def fill_answer(self, q) -> None:
        for i, choice in enumerate((q.choices or [])[:OPTION_SLOTS], start=1):
            getattr(self, f"option_{i}").data = choice
            if choice == q.answer:
                self.correct.data = str(i)


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
    file = FileField("File", validators=[FileRequired("Choose a file.")])
    format = SelectField("Format", default="", choices=[
        SelectChoice("", "From the file name (" + ", ".join("/".join(f.suffixes) for f in IMPORTABLE) + ")"),
        *(SelectChoice(f.name, f.label) for f in IMPORTABLE)])
    title = StringField("Title of the new set", validators=[Optional(), Length(max=300)])


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=200)])


class AssignForm(FlaskForm):
    set_id = SelectField("Set", coerce=int, choices=[], validate_choice=True)
    due_date = DateField("Due date (optional)", validators=[Optional()])
    target = SelectField("Target", default="", choices=[])


class JoinForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(), Length(max=32)])
