"""Text hygiene: bytes to clean Unicode before any offset is taken.

Everything downstream indexes the normalised text, so offsets stored in the
warehouse always point into the body as stored.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from extractors.errors import RejectError

MAX_BYTES = 5_000_000  # a single article beyond this is a broken dump, not news

# Every horizontal space variant (NBSP, narrow NBSP, thin, figure, ideographic...)
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# UTF-8 read as cp1252/latin-1 leaves these pairs ("Ã©", "â€™", "Â ")
MOJIBAKE = re.compile(r"[ÃÂâ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      r"\u2013-\u203a\u20ac\u2122]|\ufffd")


# checked longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 (a Windows export, say): by its byte-order mark, or without one
    by the zero bytes that stand every other byte in Latin text."""
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            return enc
    half = len(sample) // 2
    if half >= 8:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > 0.3 * half and even < 0.02 * half:
            return "utf-16-le"
        if even > 0.3 * half and odd < 0.02 * half:
            return "utf-16-be"
    return None


def decode_bytes(data: bytes, max_bytes: int | None = MAX_BYTES) -> tuple[str, str]:
    """Decode with the first encoding that fits: UTF-16/32 when the bytes say so,
    else UTF-8, then cp1252, then latin-1. `max_bytes`: the size of one article at
    most (None for a file of many records, whose records are checked one by one)."""
    if not data.strip():
        raise RejectError("empty", "the file holds no text")
    if max_bytes is not None and len(data) > max_bytes:
        raise RejectError("too_large", f"{len(data)} bytes > {max_bytes}")
    sample = data[:65536]
    wide = _wide_encoding(sample)
    if wide:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as e:
            raise RejectError("encoding", f"not valid {wide.upper()}: {e.reason}") from e
        if not text.strip():
            raise RejectError("empty", "the file holds no text")
        if len(_CONTROL.findall(text[:65536])) > min(len(text), 65536) * 0.01:
            raise RejectError("binary", "control bytes found: not a text file")
        return text, wide
    if b"\x00" in sample or len(_CONTROL.findall(sample.decode("latin-1"))) > len(sample) * 0.01:
        raise RejectError("binary", "control bytes found: not a text file")
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc), enc.replace("-sig", "")
        except UnicodeDecodeError:
            continue
    raise RejectError("encoding", "undecodable")  # latin-1 never fails; kept for type checkers


def decoded_lines(fh: BinaryIO) -> Iterator[str]:
    """The lines of a file of records, decoded one at a time, so that a dump of any
    size is read in bounded memory. The head of the file is checked as a whole file
    is (empty, binary); a UTF-16/32 file, rare for records, is decoded at once."""
    head = fh.read(65536)
    if _wide_encoding(head):
        text, _ = decode_bytes(head + fh.read(), max_bytes=None)
        yield from text.splitlines()
        return
    decode_bytes(head, max_bytes=None)  # raises on an empty or binary file
    fh.seek(0)  # a gzip stream rewinds too
    for raw in fh:
        for enc in ("utf-8-sig", "cp1252", "latin-1"):
            try:
                yield raw.decode(enc).rstrip("\r\n")
                break
            except UnicodeDecodeError:
                continue


def normalize_text(text: str) -> str:
    """Repair mojibake, NFC, unify spaces and line ends; keep line structure."""
    if MOJIBAKE.search(text):  # ftfy is the slowest step of reading: only when needed
        import ftfy  # and a third of the readers' import time: only then

        text = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, normalization="NFC",
                             fix_latin_ligatures=False, fix_character_width=False)
    text = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def collapse_ws(s: str) -> str:
    return " ".join(s.split())


# Markdown that a crawler made of the page: a heading, a bulleted link, an image, a quote, a link, bold
_MD_HINTS = re.compile(r"^(?:#{1,6} \S|[*+-] \[|!\[|> \S)|\]\(https?://|\*\*\S", re.MULTILINE)
_MD_HEADING = re.compile(r"^#{1,6} \S", re.MULTILINE)  # enough alone: plain text never opens a line with "# "
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_LINE = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[*+-]\s+(?=\S))")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")


def unmarkdown(text: str) -> str:
    """Plain lines out of a page a crawler wrote as Markdown, so that the line rules read
    "# Headline", "**Par X** | Publié le …" and "[Office des changes](https://…)" as a
    printed page shows them. Text with no heading and fewer than two other Markdown marks is left alone."""
    head = text[:20000]
    if not any(mark in head for mark in ("](", "**", "# ", "> ", "![", "* [", "- [")):  # most texts: no regex run
        return text
    if len(_MD_HINTS.findall(head)) < 2 and not _MD_HEADING.search(head):
        return text
    out = []
    for ln in text.split("\n"):
        if _MD_RULE.match(ln):
            out.append("")
            continue
        ln = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", ln))
        ln = _MD_EM.sub(r"\1", _MD_STRONG.sub(r"\2", _MD_LINE.sub("", ln)))
        out.append(re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", ln))
    return "\n".join(out)
