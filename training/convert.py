"""Convert the treebanks in ../shared/corpus into spaCy DocBin files for training.

Sources (see ../shared/corpus/README.md):
- UD English EWT (CoNLL-U): gold words, XPOS (PTB tags), UPOS, morphology, lemmas, trees.
  It has no entity layer, so its training documents carry *missing* entity annotation
  (not "O"): otherwise the NER would learn that the names in them are not entities.
- GUM, CC BY genres (CoNLL-U): the same layers, plus entity mentions in MISC (`Entity=`).
  GUM annotates every mention, named or not ("Daniel Bernoulli", "his father", "the
  city"); a mention is *named* when its syntactic head is a proper noun (PROPN).
- UNER (IOB2, PER/ORG/LOC) on EWT's dev and test sentences, matched by sent_id.

Outputs, in OUT (default training/corpus):
- train.spacy: EWT train + GUM train (all layers; entities only on GUM), plus the EWT dev
  sentences with UNER entities and *no other layer*, so the NER learns from them while
  EWT dev stays unseen for the tagger, lemmatizer and parser.
- dev.spacy: EWT dev (syntax only) + GUM dev (syntax and entities): model selection.
The held-out test splits (EWT test with UNER test entities, GUM test) are written nowhere:
evaluate.py reads them straight from the corpus through `held_out_docs`.

Sentences are grouped into documents of GROUP consecutive sentences of the same source
document, so that the parser learns sentence boundaries (headings without final
punctuation included) from running text rather than from one sentence at a time.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

GROUP = 10  # sentences per training document
CORPUS_ENV = "STUDYAPP_CORPUS"


def default_corpus() -> Path:
    """The shared corpus: $STUDYAPP_CORPUS, else ../shared/corpus beside the repository
    (where CI puts it)."""
    override = os.environ.get(CORPUS_ENV)
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "corpus"


# GUM entity types -> our NER labels. Other types (abstract, object, time, animal, ...) are
# left out: their named mentions are few and mixed, and a MISC class that UNER never
# annotates would contradict the UNER sentences.
GUM_LABELS = {"person": "PERSON", "place": "LOC", "organization": "ORG", "event": "EVENT"}
UNER_LABELS = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}

# One bracket of GUM's Entity= value: "(12-person-...-identity" opens mention 12 (a ")"
# right after it closes it on the same token); "12)" closes mention 12.
ENTITY_BRACKET = re.compile(r"\((\d+)-([a-z]+)[^()]*(\))?|(\d+)\)")


@dataclass
class Word:
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int  # 1-based within the sentence, 0 for the root
    deprel: str
    misc: dict[str, str]
    space_after: bool = True


@dataclass
class Sentence:
    sent_id: str
    doc_id: str
    words: list[Word] = field(default_factory=list)
    # (start, end, label) word spans, end exclusive; None = no entity annotation
    entities: list[tuple[int, int, str]] | None = None


def parse_misc(text: str) -> dict[str, str]:
    if text == "_":
        return {}
    pairs = (item.split("=", 1) for item in text.split("|"))
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def read_conllu(path: Path) -> Iterator[Sentence]:
    """Yield the sentences of a CoNLL-U file as syntactic words.

    Multiword tokens ("don't" = "do" + "n't") contribute their words; the words inside
    one token have no space between them, the last takes the token's SpaceAfter.
    Empty nodes (enhanced dependencies, ids like 8.1) are skipped.
    """
    doc_id = ""
    sentence: Sentence | None = None
    mwt_last = 0
    mwt_space = True
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("# newdoc id"):
                doc_id = line.split("=", 1)[1].strip()
            elif line.startswith("# sent_id"):
                sentence = Sentence(sent_id=line.split("=", 1)[1].strip(), doc_id=doc_id)
                mwt_last = 0
            elif not line:
                if sentence and sentence.words:
                    yield sentence
                sentence = None
            elif not line.startswith("#"):
                cols = line.split("\t")
                if "." in cols[0]:
                    continue
                if "-" in cols[0]:
                    mwt_last = int(cols[0].split("-")[1])
                    mwt_space = parse_misc(cols[9]).get("SpaceAfter") != "No"
                    continue
                misc = parse_misc(cols[9])
                index = int(cols[0])
                if index < mwt_last:
                    space = False
                elif index == mwt_last:
                    space = mwt_space
                else:
                    space = misc.get("SpaceAfter") != "No"
                sentence.words.append(
                    Word(
                        form=cols[1],
                        lemma=cols[2],
                        upos=cols[3],
                        xpos=cols[4],
                        feats="" if cols[5] == "_" else cols[5],
                        head=int(cols[6]),
                        deprel=cols[7],
                        misc=misc,
                        space_after=space,
                    )
                )
    if sentence and sentence.words:
        yield sentence


def gum_mentions(sentence: Sentence) -> list[tuple[int, int, str]]:
    """All entity mentions of a GUM sentence as (start, end, type), end exclusive."""
    open_mentions: dict[str, list[tuple[int, str]]] = {}
    mentions = []
    for i, word in enumerate(sentence.words):
        for opened, etype, closed_here, closing in ENTITY_BRACKET.findall(
            word.misc.get("Entity", "")
        ):
            if opened and closed_here:
                mentions.append((i, i + 1, etype))
            elif opened:
                open_mentions.setdefault(opened, []).append((i, etype))
            elif open_mentions.get(closing):
                start, etype = open_mentions[closing].pop()
                mentions.append((start, i + 1, etype))
    return mentions


def span_head(words: list[Word], start: int, end: int) -> int:
    """The first word of the span whose head lies outside it (its syntactic head)."""
    for i in range(start, end):
        if not start < words[i].head <= end:  # heads are 1-based
            return i
    return start


# Dependents that stay inside a name ("Daniel Bernoulli", "2022 FIFA World Cup"); other
# dependents are modifiers of the mention, not part of the name.
NAME_RELATIONS = {"flat", "compound", "nummod"}


def name_core(words: list[Word], start: int, end: int, head: int, label: str) -> tuple[int, int]:
    """The name inside a GUM mention: GUM mentions span whole noun phrases ("Eric Temple
    Bell in Men of Mathematics", "the United States' flag"), a NER label only the name.

    The name is the head plus its flat/compound/numeric dependents, capitalised adjectives
    and "of"-complements that are proper nouns ("University of Paris", "Battle of the
    Somme"), recursively; for people not the "of" ("Ann Chiang of DAB" is Ann Chiang).
    """
    core = {head}
    changed = True
    while changed:
        changed = False
        for i in range(start, end):
            if i in core or words[i].head - 1 not in core:
                continue
            word, relation = words[i], words[i].deprel.split(":")[0]
            of_complement = (
                label != "PERSON"
                and relation == "nmod"
                and word.upos == "PROPN"
                and any(
                    w.head - 1 == i and w.deprel == "case" and w.lemma.lower() == "of"
                    for w in words[start:end]
                )
            )
            inside_of_complement = relation in {"case", "det"} and (
                words[word.head - 1].deprel.startswith("nmod") and word.head - 1 != head
            )
            # "New York", "United Nations", "American Revolutionary War"
            capitalised_modifier = relation == "amod" and word.form[:1].isupper()
            if (
                relation in NAME_RELATIONS
                or of_complement
                or inside_of_complement
                or capitalised_modifier
            ):
                core.add(i)
                changed = True
    return trim(words, min(core), max(core) + 1)


def trim(words: list[Word], start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners and punctuation, trailing punctuation and possessive 's:
    "the United States" -> "United States", as UNER and most NER schemes mark names."""
    while start < end and words[start].upos in {"DET", "PUNCT"}:
        start += 1
    while end > start and (words[end - 1].upos == "PUNCT" or words[end - 1].xpos == "POS"):
        end -= 1
    return start, end


def gum_named_entities(sentence: Sentence) -> list[tuple[int, int, str]]:
    """GUM's named mentions (head is a proper noun) of the types we label, outermost first
    where they nest ("University of Basel", not "Basel" inside it)."""
    words = sentence.words
    named = []
    for start, end, etype in gum_mentions(sentence):
        label = GUM_LABELS.get(etype)
        head = span_head(words, start, end)
        if label and words[head].upos == "PROPN":
            start, end = name_core(words, start, end, head, label)
            if start < end:
                named.append((start, end, label))
    longest_first = sorted(named, key=lambda m: (m[0] - m[1], m[0]))
    kept: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for start, end, label in longest_first:
        if not taken.intersection(range(start, end)):
            kept.append((start, end, label))
            taken.update(range(start, end))
    return sorted(kept)


def read_uner(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """UNER IOB2 file -> {sent_id: [(start, end, label)]}, word indices."""
    result: dict[str, list[tuple[int, int, str]]] = {}
    sent_id = None
    tags: list[str] = []

    def flush() -> None:
        if sent_id is not None:
            result[sent_id] = iob_to_spans(tags)

    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("# sent_id"):
                flush()
                sent_id, tags = line.split("=", 1)[1].strip(), []
            elif line and not line.startswith("#"):
                tags.append(line.split("\t")[2])
    flush()
    return result


def iob_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    start = label = None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == label):
            spans.append((start, i, UNER_LABELS[label]))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


def attach_uner(sentences: Iterable[Sentence], uner: dict) -> Iterator[Sentence]:
    for sentence in sentences:
        spans = uner.get(sentence.sent_id)
        if spans is None:
            raise ValueError(f"UNER has no sentence {sentence.sent_id}")
        if spans and spans[-1][1] > len(sentence.words):
            raise ValueError(f"UNER tokens of {sentence.sent_id} do not match the treebank")
        sentence.entities = spans
        yield sentence


def with_gum_entities(sentences: Iterable[Sentence]) -> Iterator[Sentence]:
    for sentence in sentences:
        sentence.entities = gum_named_entities(sentence)
        yield sentence


def grouped(sentences: Iterable[Sentence], size: int = GROUP) -> Iterator[list[Sentence]]:
    """Consecutive sentences of one source document, at most `size` at a time."""
    group: list[Sentence] = []
    for sentence in sentences:
        if group and (len(group) == size or sentence.doc_id != group[0].doc_id):
            yield group
            group = []
        group.append(sentence)
    if group:
        yield group


def make_doc(vocab: Vocab, sentences: list[Sentence], syntax: bool = True) -> Doc:
    """One spaCy Doc from consecutive sentences.

    syntax=False keeps only words and entities (tags, lemmas and trees missing): for the
    EWT dev sentences that train the NER alone.
    """
    words, spaces, tags, pos, morphs, lemmas, heads, deps = ([] for _ in range(8))
    for sentence in sentences:
        offset = len(words)
        for k, word in enumerate(sentence.words):
            words.append(word.form)
            last = k == len(sentence.words) - 1
            spaces.append(word.space_after or last)  # sentences are separated by a space
            tags.append(word.xpos)
            pos.append(word.upos)
            morphs.append(word.feats)
            lemmas.append(word.lemma)
            heads.append(offset + (word.head - 1 if word.head else k))
            deps.append("ROOT" if word.deprel == "root" else word.deprel)
    spaces[-1] = False
    if syntax:
        doc = Doc(
            vocab,
            words=words,
            spaces=spaces,
            tags=tags,
            pos=pos,
            morphs=morphs,
            lemmas=lemmas,
            heads=heads,
            deps=deps,
        )
    else:
        doc = Doc(vocab, words=words, spaces=spaces)
    if all(s.entities is not None for s in sentences):
        spans, offset = [], 0
        for sentence in sentences:
            spans += [Span(doc, offset + a, offset + b, label) for a, b, label in sentence.entities]
            offset += len(sentence.words)
        doc.set_ents(filter_spans(spans), default="outside")
    return doc


def docbin(docs: Iterable[Doc]) -> DocBin:
    store = DocBin(store_user_data=False)
    for doc in docs:
        store.add(doc)
    return store


def ewt_sentences(corpus: Path, split: str, uner: bool = False) -> Iterator[Sentence]:
    """EWT's `split` (train/dev/test); uner=True adds UNER's entities (dev and test only)."""
    sentences = read_conllu(corpus / "ud-english-ewt" / f"en_ewt-ud-{split}.conllu")
    if uner:
        sentences = attach_uner(
            sentences, read_uner(corpus / "uner-english-ewt" / f"en_ewt-ud-{split}.iob2")
        )
    return sentences


def gum_sentences(corpus: Path, split: str) -> Iterator[Sentence]:
    """GUM's `split` (train/dev/test) with its named entities."""
    return with_gum_entities(read_conllu(corpus / "gum-cc-by" / f"gum-{split}.conllu"))


def to_docs(vocab: Vocab, sentences: Iterable[Sentence], syntax: bool = True) -> list[Doc]:
    return [make_doc(vocab, group, syntax) for group in grouped(sentences)]


HELD_OUT = {
    "EWT test": lambda corpus: ewt_sentences(corpus, "test", uner=True),
    "GUM test": lambda corpus: gum_sentences(corpus, "test"),
}


def held_out_docs(
    corpus: Path, vocab: Vocab, max_sentences: int | None = None, splits=tuple(HELD_OUT)
) -> dict[str, list[Doc]]:
    """The test splits, never used in training or model selection: EWT test with UNER's
    entities, GUM test with its named entities. max_sentences takes the first N of each."""
    return {name: to_docs(vocab, islice(HELD_OUT[name](corpus), max_sentences)) for name in splits}


def build(corpus: Path, out: Path) -> dict[str, int]:
    """Write train.spacy and dev.spacy (see the module docstring); returns their sizes."""
    vocab = Vocab()
    splits = {
        "train": to_docs(vocab, ewt_sentences(corpus, "train"))
        + to_docs(vocab, gum_sentences(corpus, "train"))
        # EWT dev sentences teach the NER only: their syntax stays unseen for model selection
        + to_docs(vocab, ewt_sentences(corpus, "dev", uner=True), syntax=False),
        "dev": to_docs(vocab, ewt_sentences(corpus, "dev"))
        + to_docs(vocab, gum_sentences(corpus, "dev")),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, split in splits.items():
        docbin(split).to_disk(out / f"{name}.spacy")
    return {name: len(split) for name, split in splits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="where to write the .spacy files")
    parser.add_argument("corpus", type=Path, nargs="?", default=default_corpus())
    args = parser.parse_args()
    for name, count in build(args.corpus, args.out).items():
        print(f"{name}: {count} documents")


if __name__ == "__main__":
    main()
