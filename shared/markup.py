"""Plain text shown as HTML (emails' HTML part, the local mailbox page)."""
from __future__ import annotations

import html
import re

from markupsafe import Markup

_URL = re.compile(r"https?://[^\s<>\"]+")


def linkify(text: str, line_breaks: bool = True) -> Markup:
    """Plain text → HTML: escaped, every web address a link (trailing punctuation left
    out of it), and line breaks kept as <br> unless the text goes into a <pre>."""
    out, last = [], 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:)")
        out += [html.escape(text[last:m.start()]), f'<a href="{html.escape(url)}">{html.escape(url)}</a>']
        last = m.start() + len(url)
    out.append(html.escape(text[last:]))
    joined = "".join(out)
    return Markup(joined.replace("\n", "<br>\n") if line_breaks else joined)
