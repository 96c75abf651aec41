"""``studyapp generate``: documents -> a studyapp-bank/1 file."""

from __future__ import annotations

import click

from .generate import TYPES, GenerationError, write_bank


def _parse_types(value: str | None) -> set[str] | None:
    if not value:
        return None
    types = {t.strip() for t in value.split(",") if t.strip()}
    unknown = types - set(TYPES)
    if unknown:
        raise click.BadParameter(
            f"unknown type(s) {', '.join(sorted(unknown))}; choose from {', '.join(TYPES)}",
            param_hint="--types",
        )
    return types


@click.command("generate")
@click.argument("docs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Bank file to write (JSON).")
@click.option("--title", default=None, help="Bank title (default: the document's title).")
@click.option("--types", "types", default=None,
              help="Comma-separated question types: " + ",".join(TYPES))
@click.option("--max-per-fact", default=3, show_default=True, type=click.IntRange(1, 6),
              help="At most this many questions (of different types) per fact.")
@click.option("--explain", "explain_", is_flag=True,
              help="Print the facts found in each document, sentence by sentence.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=None,
              help="Seconds for reading and generating (default: GENERATION_SECONDS, 120).")
@click.option("--memory-limit", type=click.IntRange(min=64), default=None,
              help="MB of memory (default: GENERATION_MEMORY_MB, 1024).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Most pages a document may have (default: GENERATION_MAX_PAGES, 300).")
@click.option("--max-chars", type=click.IntRange(min=1), default=None,
              help="Most characters of text a document may have (default: GENERATION_MAX_CHARS).")
def generate(docs, out, title, types, max_per_fact, explain_, time_limit, memory_limit,
             max_pages, max_chars):
    """Generate a question bank from factual documents (text, Markdown, PDF).

    Runs in a separate process within the limits above, so a document built to be slow
    to read (a PDF decompression bomb) ends with a message instead of holding a core."""
    from ..generation import DocumentLimits, explain_limited, generate_limited

    limits = DocumentLimits.from_env(seconds=time_limit, memory_mb=memory_limit,
                                     max_pages=max_pages, max_chars=max_chars)
    if explain_:
        for d in docs:
            try:
                click.echo(explain_limited(d, limits))
            except GenerationError as exc:
                click.echo(f"error: {exc}", err=True)
        return
    if not out:
        raise click.UsageError("--out PATH is required (unless --explain)")
    try:
        result = generate_limited(docs, limits, names={d: d for d in docs}, title=title,
                                  types=_parse_types(types), max_per_fact=max_per_fact,
                                  progress=len(docs) > 1)
    except GenerationError as exc:
        raise click.ClickException(str(exc)) from exc
    write_bank(result.bank, out)
    click.echo(f"wrote {len(result.bank['questions'])} questions to {out}")
    click.echo(result.report.summary())
