"""How answers are graded, one module per way: text, numbers, dates, choices.

Each grader takes a :class:`studyapp.question.Question` and the student's answer and
returns a :class:`Grade`; ``studyapp.question.grade`` picks the grader from the type.
"""
