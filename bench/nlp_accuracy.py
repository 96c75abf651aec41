"""Accuracy and speed of the shipped English pipeline: ``python bench/nlp_accuracy.py [CORPUS]``.

UPOS, XPOS, morphology, lemma, UAS/LAS and sentence F1 on the held-out EWT and GUM test
splits, PER/ORG/LOC precision/recall/F1 (EWT test against UNER, GUM test against its
named mentions), words per second on a long text, load time and size. The measuring code
is training/evaluate.py, the same that `make model` runs after training.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.nlp import model_path  # noqa: E402
from training.convert import default_corpus  # noqa: E402
from training.evaluate import report  # noqa: E402


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else default_corpus()
    report(model_path(), corpus)


if __name__ == "__main__":
    main(sys.argv[1:])
