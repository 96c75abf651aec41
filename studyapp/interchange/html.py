"""HTML from other tools (Moodle, Anki) as the clean text students read: sanitised by
nh3 (scripts, styles and comments go, whatever their shape), then turned into text by
markdownify (line breaks, paragraphs and lists kept; emphasis and links as their words)."""

from __future__ import annotations

import re

import nh3
from markdownify import markdownify

# Kept long enough for markdownify to see the structure; everything else is unwrapped.
_STRUCTURE = {"p", "br", "div", "ul", "ol", "li", "sub", "sup"}


def html_to_text(html: str) -> str:
    clean = nh3.clean(html or "", tags=_STRUCTURE, attributes={}, strip_comments=True)
    text = markdownify(clean, escape_asterisks=False, escape_underscores=False, escape_misc=False,
                       bullets="-", heading_style="ATX")
    text = text.replace("\xa0", " ")
    lines = [line.rstrip() for line in text.splitlines()]  # markdown's "  " line breaks
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
