from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .passwords import MAX_PASSWORD, password_problem


def email_problem(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"That e-mail address is not valid: {exc}"
    return None


def _email_check(form, field):
    problem = email_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def new_password_check(email_field: str | None = None, name_field: str | None = None):
    """Validator: the password policy, judged against the account's e-mail and name."""
    def check(form, field):
        from flask_login import current_user

        email = (form[email_field].data if email_field else None) or (
            current_user.email if current_user.is_authenticated else "")
        name = (form[name_field].data if name_field else None) or (
            current_user.display_name if current_user.is_authenticated else "")
        problem = password_problem(field.data or "", email or "", name or "")
        if problem:
            raise ValidationError(problem)
    return check


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    remember = BooleanField("Keep me logged in on this device")


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[Length(max=120)])
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254), _email_check])
    password = PasswordField("Password", validators=[DataRequired(), new_password_check("email", "name")],
                             description="At least 8 characters; a few unrelated words are easy to "
                                         "remember and hard to guess.")
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", message="The two passwords differ.")])
    role = RadioField("I am a", choices=[SelectChoice("student", "Student"), SelectChoice("instructor", "Instructor")], default="student")
    invite = StringField("Invitation code (instructors)", validators=[Length(max=500)],
                         description="From the site's administrator, if you have one.")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    password = PasswordField("New password", validators=[DataRequired(), new_password_check()])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", message="The two passwords differ.")])


class ResetRequestForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired()])
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", message="The two passwords differ.")])
