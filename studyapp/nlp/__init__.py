"""The project's English spaCy pipeline: tokens, sentences, PTB tags, UPOS and morphology,
lemmas, dependency parse and named entities (PERSON, ORG, LOC, EVENT).

It is trained by the project itself from the treebanks in ../shared/corpus (`make model`,
see training/) and shipped inside the package in `model/`; nothing is downloaded.
`load()` returns it, loaded once per process. Set STUDYAPP_NLP_MODEL to a pipeline
directory to try another one (e.g. a training run's model-best) without reinstalling.

The treebanks have no whitespace tokens, so the trained components never learned what a
blank line means: two components added at load time make a blank line end the sentence
(a heading or paragraph never runs into the next one) and give whitespace tokens a fixed
analysis.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
    return load_from(path)


def load_from(path: Path) -> Language:
    """A fresh pipeline from `path` with the project's rules added (uncached: for tools
    that measure a particular model; the application uses `load()`)."""
    nlp = spacy.load(path)
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("whitespace_analysis", after="parser")
    return nlp


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Before the parser: the token after a blank line (two or more line breaks) starts a
    sentence, and whitespace tokens never do. A single line break is left to the parser:
    in PDF text it is as often a wrapped line as the end of a heading."""
    seen_text = False
    for token in doc:
        if not token.is_space:
            seen_text = True
            continue
        if token.i > 0:
            token.is_sent_start = False
        if seen_text and token.text.count("\n") >= 2 and token.i + 1 < len(doc):
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.component("whitespace_analysis")
def whitespace_analysis(doc: Doc) -> Doc:
    """After the parser: whitespace tokens get en_core_web_sm's analysis (tag _SP, POS
    SPACE, lemma = text, relation "dep") instead of the models' guesses ("obj", "PROPN"),
    so that rules looking for a verb's object or a proper noun never pick a line break."""
    for token in doc:
        if token.is_space:
            token.tag_, token.pos_, token.lemma_, token.dep_ = "_SP", "SPACE", token.text, "dep"
    return doc
