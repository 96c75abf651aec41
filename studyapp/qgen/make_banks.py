"""Regenerate the shipped banks: ``python -m studyapp.qgen.make_banks SEEDS_DIR OUT_DIR``.

One bank per seed document, named after a slug of the document's title.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from .generate import GenerationError, generate_bank, write_bank

DOC_SUFFIXES = {".txt", ".md", ".markdown", ".pdf"}


def slugify(text: str, max_len: int = 60) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    t = re.sub(r"[^a-zA-Z0-9]+", "-", t.lower()).strip("-")
    if len(t) > max_len:
        t = t[:max_len].rsplit("-", 1)[0]
    return t or "bank"


def make_banks(seeds_dir: Path, out_dir: Path) -> list[Path]:
    docs = sorted(p for p in Path(seeds_dir).iterdir() if p.suffix.lower() in DOC_SUFFIXES)
    written: list[Path] = []
    used: set[str] = set()
    for doc in docs:
        try:
            result = generate_bank([doc])
        except GenerationError as exc:
            print(f"warning: {exc}", file=sys.stderr)
            continue
        slug = slugify(result.bank["title"])
        base, n = slug, 2
        while slug in used:
            slug = f"{base}-{n}"
            n += 1
        used.add(slug)
        path = Path(out_dir) / f"{slug}.json"
        write_bank(result.bank, path)
        written.append(path)
        print(f"{doc.name} -> {path} ({len(result.bank['questions'])} questions)")
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m studyapp.qgen.make_banks SEEDS_DIR OUT_DIR", file=sys.stderr)
        return 2
    written = make_banks(Path(args[0]), Path(args[1]))
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
