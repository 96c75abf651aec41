from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

MIN_PASSWORD = 8


def email_problem(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"That e-mail address is not valid: {exc}"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"The password must be at least {MIN_PASSWORD} characters long."
    return None


def _email_check(form, field):
    problem = email_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[Length(max=120)])
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254), _email_check])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200, message=f"The password must be at least {MIN_PASSWORD} characters long.")])
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", message="The two passwords differ.")])
    role = RadioField("I am a", choices=[SelectChoice("student", "Student"), SelectChoice("instructor", "Instructor")], default="student")
