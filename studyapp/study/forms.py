from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..formfields import WholeNumberField
from ..srs import MAX_RETENTION, MIN_RETENTION


class SettingsForm(FlaskForm):
    display_name = StringField("Display name", validators=[Length(max=120)])
    daily_new_limit = WholeNumberField(
        "New cards per day", validators=[InputRequired(), NumberRange(0, 500)],
        description="How many cards you have never seen to add to your reviews each day.")
    desired_retention = DecimalField(
        "Desired retention", places=2, validators=[InputRequired(), NumberRange(MIN_RETENTION, MAX_RETENTION)],
        description="How likely you want to be to remember a card when it comes back "
                    f"({MIN_RETENTION:.2f}–{MAX_RETENTION:.2f}). Higher means more reviews.")


class QuizForm(FlaskForm):
    count = WholeNumberField("Number of questions", default=10, validators=[InputRequired(), NumberRange(1, 100)])
    topic = SelectField("Topic", choices=[], validators=[Optional()], validate_choice=True)
    fact_kind = SelectField("Kind of fact", choices=[], validators=[Optional()], validate_choice=True)
    immediate_feedback = BooleanField("Show the answer after each question")


class QuizAnswerForm(FlaskForm):
    question_id = WholeNumberField(validators=[DataRequired()])
    answer = StringField("Your answer", validators=[Length(max=2000)])
    duration_ms = WholeNumberField(validators=[Optional(), NumberRange(0, 86_400_000)])


class JoinClassForm(FlaskForm):
    code = StringField("Class code", validators=[DataRequired(), Length(max=16)])
