"""Bytes -> text: detect the encoding of an input file and refuse what is not text.

    b"\\xef\\xbb\\xbfCaf\\xc3\\xa9"  -> "Café"       (UTF-8 with BOM)
    b"\\xff\\xfeC\\x00a\\x00"         -> "Ca"         (UTF-16 LE with BOM)
    b"Caf\\xe9 \\x93quoted\\x94"       -> "Café “quoted”" (cp1252)
    b"caf\\xc3\\xa9 and caf\\xe9"        -> "café and café" (mostly UTF-8, a pasted cp1252 byte)
    b"%PDF-1.7..."                   -> InputError("binary file (PDF document), not text")
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError

# Magic numbers of the binary files people most often save with a text extension by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (DOCX, EPUB, ...)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"\xd0\xcf\x11\xe0", "Office document (OLE)"),
    (b"RIFF", "RIFF media file"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"SQLite format 3", "SQLite database"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 controls other than tab, LF and CR, plus DEL: never article text, and not allowed in XML.
# C1 controls (U+0080-U+009F) stay: they are evidence the typography pass uses to repair
# mojibake ("â\x80\x99" is a UTF-8 apostrophe decoded as Latin-1).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# U+FFFE and U+FFFF are not characters XML may hold (a byte-swapped BOM decodes to U+FFFE):
# lxml refuses to set them as text, or writes them out and makes the XHTML unreadable.
NOT_XML_CHARS = re.compile("[\ufffe\uffff]")
# cp1252 leaves five bytes undefined; map them to Latin-1 so no byte is ever lost.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its zero bytes in every other position."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as cp1252: a UTF-8 file with a few pasted cp1252 bytes."""
    assert isinstance(error, UnicodeDecodeError)
    return _decode_cp1252(error.object[error.start : error.end]), error.end


codecs.register_error("converter-cp1252", _cp1252_fallback)

# A UTF-8 lead byte followed by its continuation bytes: evidence the file is meant as UTF-8.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _decode_mixed(data: bytes) -> str:
    """Decode text that is not valid UTF-8: mostly UTF-8 -> UTF-8 with cp1252 for the rest;
    otherwise all cp1252 (the typography pass repairs any mojibake that leaves)."""
    sequences = len(_UTF8_SEQUENCE.findall(data))
    stray = len(_HIGH_BYTE.findall(data)) - sum(
        len(m) for m in _UTF8_SEQUENCE.findall(data)
    )
    if sequences > stray:
        return data.decode("utf-8", errors="converter-cp1252")
    return _decode_cp1252(data)


def _decode_cp1252(data: bytes) -> str:
    if any(b in _CP1252_HOLES for b in data):
        return "".join(
            bytes([b]).decode("latin-1") if b in _CP1252_HOLES else bytes([b]).decode("cp1252")
            for b in data
        )
    return data.decode("cp1252")


def sniff_binary(data: bytes) -> str | None:
    """Return a description of the binary format ``data`` starts with, or None."""
    for signature, description in BINARY_SIGNATURES:
        if data.startswith(signature):
            return description
    return None


def decode_bytes(data: bytes, path: str | Path | None = None) -> str:
    """Decode an input file's bytes to text, or raise InputError naming the problem."""
    if not data.strip():
        raise InputError("empty file" if not data else "file holds only white space", path)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                # The mark says UTF-8: bytes that are not are read as cp1252, not refused.
                errors = "converter-cp1252" if encoding == "utf-8" else "strict"
                text = data[len(bom) :].decode(encoding, errors=errors)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding} after its byte-order mark: {exc.reason}", path) from None
            return _check_text(text, path)
    kind = sniff_binary(data)
    if kind:
        raise InputError(f"binary file ({kind}), not text", path)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _check_text(data.decode(utf16), path)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_mixed(data)
    return _check_text(text, path)


def _check_text(text: str, path: str | Path | None) -> str:
    """Refuse decoded text that is mostly control characters (random bytes), strip the rest."""
    if not text.strip():
        raise InputError("file holds only white space", path)
    controls = len(CONTROL_CHARS.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 50):
        raise InputError("binary file (too many control characters), not text", path)
    return clean_text(text)


def clean_text(text: str) -> str:
    """Normalise line endings and drop the control characters XML cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF) if _has_surrogates(text) else text
    return NOT_XML_CHARS.sub("", CONTROL_CHARS.sub("", text))


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
