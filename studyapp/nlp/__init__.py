"""The project's English spaCy pipeline: tokens, sentences, PTB tags, UPOS and morphology,
lemmas, dependency parse and named entities (PERSON, ORG, LOC, EVENT).

It is trained by the project itself from the treebanks in ../shared/corpus (`make model`,
see training/) and shipped inside the package in `model/`; nothing is downloaded.
`load()` returns it, loaded once per process. Set STUDYAPP_NLP_MODEL to a pipeline
directory to try another one (e.g. a training run's model-best) without reinstalling.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

SHIPPED_MODEL = Path(__file__).parent / "model"
MODEL_ENV = "STUDYAPP_NLP_MODEL"


def model_path() -> Path:
    """The pipeline directory to load: $STUDYAPP_NLP_MODEL if set, else the shipped one."""
    override = os.environ.get(MODEL_ENV)
    path = Path(override) if override else SHIPPED_MODEL
    if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
        source = f"${MODEL_ENV}" if override else "the shipped model"
        raise FileNotFoundError(
            f"{source}: {path} is not a spaCy pipeline directory (no config.cfg/meta.json); "
            "`make model` builds one"
        )
    return path


def load() -> Language:
    """The pipeline, loaded on first use and shared by the whole process afterwards."""
    return _load(model_path())


@cache
def _load(path: Path) -> Language:
    return spacy.load(path)
