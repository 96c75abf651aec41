"""The shipped English pipeline: it loads, and gives the analyses the question generator
builds on (root verb and subject, tense and number tags, irregular lemmas, entities,
sentence boundaries); and its accuracy on held-out treebank sentences stays far above
chance (floors well below the figures measured by training/evaluate.py)."""

from __future__ import annotations

import pytest

from studyapp import nlp as studyapp_nlp
from training.convert import default_corpus, held_out_docs
from training.evaluate import score

CORPUS = default_corpus()


@pytest.fixture(scope="module")
def nlp():
    return studyapp_nlp.load()


def test_the_shipped_pipeline_loads_once_per_process_with_every_component(nlp):
    assert studyapp_nlp.load() is nlp
    assert studyapp_nlp.model_path() == studyapp_nlp.SHIPPED_MODEL
    for component in ("tok2vec", "tagger", "morphologizer", "trainable_lemmatizer", "parser"):
        assert component in nlp.pipe_names
    assert {"PERSON", "ORG", "LOC", "EVENT"} <= set(nlp.get_pipe("ner").labels)


def test_a_directory_that_is_no_pipeline_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv(studyapp_nlp.MODEL_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        studyapp_nlp.load()


def test_root_verb_subject_and_object_of_a_simple_sentence(nlp):
    doc = nlp("The committee approved the new budget.")
    root = next(doc.sents).root
    assert (root.text, root.tag_, root.lemma_) == ("approved", "VBD", "approve")
    assert {child.dep_: child.text for child in root.children}.items() >= {
        ("nsubj", "committee"),
        ("obj", "budget"),
    }


def test_present_tense_and_plural_tags_and_morphology(nlp):
    doc = nlp("She writes letters to her brothers.")
    writes, letters = doc[1], doc[2]
    assert writes.tag_ == "VBZ" and writes.morph.get("Tense") == ["Pres"]
    assert letters.tag_ == "NNS" and letters.morph.get("Number") == ["Plur"]
    assert letters.lemma_ == "letter"


def test_irregular_lemmas(nlp):
    doc = nlp("The children went home and ate their dinner.")
    lemmas = {token.text: token.lemma_ for token in doc}
    assert lemmas["went"] == "go"
    assert lemmas["ate"] == "eat"
    assert lemmas["children"] == "child"


def test_people_and_places_are_named_entities(nlp):
    doc = nlp("Marie Curie moved to Paris in 1891 to study physics.")
    entities = {ent.text: ent.label_ for ent in doc.ents}
    assert entities.get("Marie Curie") == "PERSON"
    assert entities.get("Paris") == "LOC"
    assert "physics" not in entities


def test_sentence_boundaries(nlp):
    doc = nlp(
        "The river flooded the town in 1953. Many residents left their homes. "
        "Help arrived from the capital two days later."
    )
    assert [sent.text for sent in doc.sents] == [
        "The river flooded the town in 1953.",
        "Many residents left their homes.",
        "Help arrived from the capital two days later.",
    ]


def test_a_blank_line_ends_a_heading_that_has_no_final_punctuation(nlp):
    doc = nlp(
        "The Great Fire of London\n\nThe fire started in a bakery on Pudding Lane.\n\n"
        "Causes\n\nThe summer had been dry."
    )
    assert [sent.text.strip() for sent in doc.sents] == [
        "The Great Fire of London",
        "The fire started in a bakery on Pudding Lane.",
        "Causes",
        "The summer had been dry.",
    ]
    line_breaks = [token for token in doc if token.is_space]
    assert len(line_breaks) == 3
    assert {(t.tag_, t.pos_, t.dep_) for t in line_breaks} == {("_SP", "SPACE", "dep")}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
def test_accuracy_on_held_out_ewt_test_sentences(nlp):
    docs = held_out_docs(CORPUS, nlp.vocab, 200, ["EWT test"])["EWT test"]
    figures = score(nlp, docs)
    assert figures["UPOS"] > 0.88
    assert figures["XPOS"] > 0.87
    assert figures["lemma"] > 0.90
    assert figures["LAS"] > 0.72
    assert figures["PER/ORG/LOC F1"] > 0.50
