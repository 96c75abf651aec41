"""Form fields shared by every blueprint's forms."""

from __future__ import annotations

from wtforms import IntegerField

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # INTEGER columns on PostgreSQL


class WholeNumberField(IntegerField):
    """IntegerField that refuses a number no INTEGER column can hold, with a message, before
    any validator sees it (WTForms' NumberRange fails on an int too large for a float, and
    PostgreSQL on one past 32 bits)."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0] not in (None, ""):
            text = str(valuelist[0]).strip()
            digits = text.lstrip("+-")
            if digits.isdigit() and (len(digits) > 10 or not INT_MIN <= int(text) <= INT_MAX):
                self.data = None
                raise ValueError(f"must be a whole number between {INT_MIN} and {INT_MAX}")
        super().process_formdata(valuelist)
