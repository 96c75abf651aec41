"""A PDF decompression bomb, built here rather than shipped: two pages that share one Flate
content stream which inflates to megabytes of text operators (a few kilobytes on disk).

pypdf extracts each page's text by interpreting that whole stream, once per page, which is
what made such a file hold a core for minutes. Used by the generation tests and by
bench/generation_isolation.py.
"""

from __future__ import annotations

import zlib


def pdf_bomb(megabytes: float = 8.0, pages: int = 2) -> bytes:
    line = b"(The treaty was signed in 1648 by the delegates of many states.) Tj T*\n"
    body = b"BT /F1 10 Tf 12 TL 72 720 Td\n" + line * int(megabytes * 1024 * 1024 / len(line)) + b"ET\n"
    stream = zlib.compress(body, 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
         b" /Resources << /Font << /F1 3 0 R >> >> >>" for _ in range(pages)]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
