"""``studyapp generate``: documents -> a studyapp-bank/1 file."""

from __future__ import annotations

import click

from .generate import TYPES, GenerationError, explain, generate_bank, write_bank


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
def generate(docs, out, title, types, max_per_fact, explain_):
    """Generate a question bank from factual documents (text, Markdown, PDF)."""
    if explain_:
        for d in docs:
            try:
                click.echo(explain(d))
            except GenerationError as exc:
                click.echo(f"error: {exc}", err=True)
        return
    if not out:
        raise click.UsageError("--out PATH is required (unless --explain)")
    try:
        result = generate_bank(docs, title=title, types=_parse_types(types),
                               max_per_fact=max_per_fact, progress=len(docs) > 1)
    except GenerationError as exc:
        raise click.ClickException(str(exc)) from exc
    write_bank(result.bank, out)
    click.echo(f"wrote {len(result.bank['questions'])} questions to {out}")
    click.echo(result.report.summary())
