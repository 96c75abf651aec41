"""Measure a trained pipeline on the held-out test splits, from raw text.

    python training/evaluate.py MODEL_DIR [CORPUS_DIR]   (default: ../shared/corpus)

Each test document's text goes through the whole pipeline (spaCy's tokenizer included)
and is aligned with the gold words, so the figures are what the question generator
gets on new text. Reported per split (EWT test, GUM test): token alignment, UPOS, XPOS
(PTB), morphology, lemma, UAS/LAS, sentence-boundary F1, and PER/ORG/LOC precision,
recall and F1 (EWT test against UNER; GUM test against its named mentions; our EVENT
label is not scored). Then speed on a long text, load time and size on disk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `training` importable
    sys.path.insert(0, str(ROOT))

from studyapp.nlp import load_from  # noqa: E402
from training.convert import default_corpus, held_out_docs  # noqa: E402

# Our labels -> the names the benchmarks use; other labels (EVENT) are not scored.
SCORED_ENTITIES = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC"}
TARGETS = {"UPOS": 0.95, "LAS": 0.85, "PER/ORG/LOC F1": 0.80}


def scored_entities(doc: Doc, attr: str = "ents") -> list:
    return [ent for ent in doc.ents if ent.label_ in SCORED_ENTITIES]


def score(nlp: Language, gold_docs: list[Doc]) -> dict[str, float]:
    """Accuracy of `nlp` on gold documents, parsing their text from scratch."""
    predicted = nlp.pipe((gold.text for gold in gold_docs), batch_size=32)
    examples = [Example(doc, gold) for doc, gold in zip(predicted, gold_docs, strict=True)]
    scores = Scorer(nlp).score(examples)
    entities = Scorer.score_spans(
        examples,
        "ents",
        getter=scored_entities,
        has_annotation=lambda doc: doc.has_annotation("ENT_IOB"),
    )
    result = {
        "tokens": scores["token_acc"],
        "UPOS": scores["pos_acc"],
        "XPOS": scores["tag_acc"],
        "morphology": scores["morph_acc"],
        "lemma": scores["lemma_acc"],
        "UAS": scores["dep_uas"],
        "LAS": scores["dep_las"],
        "sentences F1": scores["sents_f"],
        "PER/ORG/LOC P": entities["ents_p"],
        "PER/ORG/LOC R": entities["ents_r"],
        "PER/ORG/LOC F1": entities["ents_f"],
    }
    for label, name in SCORED_ENTITIES.items():
        result[f"{name} F1"] = entities["ents_per_type"].get(label, {}).get("f", 0.0)
    return result


def words_per_second(nlp: Language, text: str, repeat: int = 3) -> tuple[int, float]:
    """(words, best words/second) parsing `text` as one document, after a warm-up."""
    nlp(text[:2000])
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        doc = nlp(text)
        best = min(best, time.perf_counter() - start)
    words = sum(1 for token in doc if not token.is_space)
    return words, words / best


def long_text(corpus: Path) -> str:
    """The SQuAD Wikipedia articles: the kind of document the generator reads."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("squad/*.txt")))


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def report(model: Path, corpus: Path, max_sentences: int | None = None) -> dict:
    """Print and return every figure for the pipeline at `model`."""
    start = time.perf_counter()
    nlp = load_from(model)
    load_seconds = time.perf_counter() - start
    splits = {
        name: score(nlp, docs)
        for name, docs in held_out_docs(corpus, nlp.vocab, max_sentences).items()
    }
    names = list(splits)
    print(f"{'':18}" + "".join(f"{name:>12}" for name in names))
    for key in splits[names[0]]:
        print(f"{key:18}" + "".join(f"{100 * splits[name][key]:11.1f}%" for name in names))
    for key, target in TARGETS.items():
        worst = min(splits[name][key] for name in names)
        verdict = "met" if worst >= target else f"missed by {100 * (target - worst):.1f} points"
        print(f"target {key} >= {100 * target:.0f}%: {verdict} (lowest {100 * worst:.1f}%)")
    words, speed = words_per_second(nlp, long_text(corpus))
    print(f"speed: {speed:,.0f} words/s on a {words:,}-word text (one document, one process)")
    print(f"load: {load_seconds:.2f} s; size on disk: {size_mb(model):.1f} MB ({model})")
    return {"splits": splits, "words_per_second": speed, "load_seconds": load_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path, help="a spaCy pipeline directory")
    parser.add_argument("corpus", type=Path, nargs="?", default=default_corpus())
    parser.add_argument("--max-sentences", type=int, help="first N sentences of each split")
    args = parser.parse_args()
    report(args.model, args.corpus, args.max_sentences)


if __name__ == "__main__":
    main()
