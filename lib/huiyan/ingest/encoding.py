"""Text encodings of CSV exports, and the lines that cannot be read as text.

Auto-detection reads UTF-8 (with or without BOM) and GBK, read as GB18030 so
rare name characters survive. A clean file costs one decoding pass, as
before damage handling existed. Only when that pass fails is the file split
into 16 MiB blocks of whole lines, and only a block that fails is split into
lines, so a damaged line (bytes that do not decode, a multibyte character cut
in half, a NUL byte) spoils only itself. With ``auto`` the codec under which
fewer lines are damaged wins; a file with more damaged lines than readable
ones is in another encoding and is refused, naming it.

:func:`write_copy` writes the normalised UTF-8 copy DuckDB reads when the file
is not clean UTF-8: a space in each empty line (so that DuckDB sets it aside
and numbers it, rather than skipping it unnumbered), a placeholder for each
damaged line, and on request LF line ends only.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from huiyan.errors import IngestError

log = logging.getLogger(__name__)

Encoding = Literal["auto", "utf-8", "gbk"]
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "gbk")

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CHUNK = 16 * 1024 * 1024
_TAIL_BYTES = 1024 * 1024
MARK = "\x1fhuiyan-damaged-line-"
"""Placeholder for the k-th damaged line in the copy; DuckDB sets it aside as too short."""


@dataclass(frozen=True)
class Damage:
    """One line that cannot be read as text: where it is and its raw bytes."""

    line: int
    raw: bytes

    @property
    def reason(self) -> str:
        return "nul_byte" if b"\x00" in self.raw else "bad_bytes"


@dataclass(frozen=True)
class TextScan:
    """What one pass over a CSV file's bytes found, for one codec."""

    codec: str
    lines: int
    damaged: tuple[Damage, ...]
    last_content: int
    """The last line holding anything but spaces."""
    trailing_empty: int
    """Empty lines after the last line with text."""
    copy: Path | None = None
    """The normalised UTF-8 copy, where one was written while the file was decoded."""


def _blocks(path: Path) -> Iterator[bytes]:
    """The file in blocks of whole lines (the last one may lack its line break)."""
    pending = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            data = pending + chunk
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
            pending = data[cut:]
    if pending:
        yield pending


def _lines_of(block: bytes) -> list[bytes]:
    """The lines of a block, without their line breaks."""
    parts = block.split(b"\n")
    return parts[:-1] if block.endswith(b"\n") else parts


def _decodes(block: bytes, codec: str) -> bool:
    try:
        block.decode(codec)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in block


def _ending(path: Path, lines: int) -> tuple[int, int]:
    """The last line with text, and the empty lines after it, from the end of the file."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - _TAIL_BYTES))
        tail = fh.read()
    end = len(tail.rstrip(b" \t\r\n"))
    after = tail[end:].split(b"\n")  # the rest of the last text line, then blank lines
    ends_with_break = tail.endswith(b"\n")
    last_content = lines - (not ends_with_break) - (len(after) - 1) + 1
    return last_content, sum(1 for t in after[1:-1] if not t.strip(b"\r"))


@dataclass(frozen=True)
class _Pass:
    """One decoding pass over a whole file."""

    is_clean: bool
    lines: int
    reached: int
    """Bytes decoded before the first failure (the whole file when clean)."""


def _decode_all(path: Path, codec: str, copy: Path | None = None) -> _Pass:
    """Decode the whole file with ``codec``; clean when nothing fails and there is no NUL.

    With ``copy``, the normalised UTF-8 copy is written on the way (see :func:`write_copy`).
    """
    decoder = codecs.getincrementaldecoder(codec)()
    breaks = reached = 0
    last = b""
    cleaner = _Cleaner(lf_only=False)
    with path.open("rb") as fh, contextlib.ExitStack() as stack:
        dst = stack.enter_context(copy.open("w", encoding="utf-8", newline="")) if copy else None
        try:
            while chunk := fh.read(_CHUNK):
                if b"\x00" in chunk:
                    return _Pass(False, 0, reached + chunk.index(b"\x00"))
                text = decoder.decode(chunk)
                if dst is not None:
                    dst.write(cleaner.feed(text))
                breaks += text.count("\n")  # faster on the decoded text than on bytes
                reached += len(chunk)
                last = chunk
            tail = decoder.decode(b"", final=True)
        except UnicodeDecodeError as err:
            return _Pass(False, 0, reached + err.start)
        breaks += tail.count("\n")
        if dst is not None:
            dst.write(cleaner.feed(tail) + cleaner.finish())
    return _Pass(True, breaks + (bool(last) and not last.endswith(b"\n")), reached)


def scan(path: Path, codec: str, *, limit: int | None = None) -> TextScan | None:
    """Every line of the file that does not decode with ``codec`` or holds a NUL byte.

    Only the 16 MiB blocks that fail to decode whole are split into lines. With
    ``limit``, gives up (None) once more lines than that are damaged.
    """
    damaged: list[Damage] = []
    lines = 0
    for block in _blocks(path):
        if not _decodes(block, codec):
            for k, raw in enumerate(_lines_of(block)):
                if not _decodes(raw, codec):
                    damaged.append(Damage(lines + k + 1, raw.rstrip(b"\r")))
                    if limit is not None and len(damaged) > limit:
                        return None
        lines += block.count(b"\n") + (not block.endswith(b"\n"))
    return TextScan(codec, lines, tuple(damaged), *_ending(path, lines))


def has_inner_blank(path: Path, *, after: int, before: int) -> bool:
    """Whether an empty line lies strictly between lines ``after`` and ``before``."""
    lines = 0
    for block in _blocks(path):
        count = block.count(b"\n") + (not block.endswith(b"\n"))
        if lines + count > after:
            framed = b"\n" + block  # the previous block ended a line
            for pattern in (b"\n\n", b"\n\r\n"):
                at = framed.find(pattern)
                while at >= 0:
                    line = lines + framed.count(b"\n", 0, at + 1)
                    if line >= before:
                        break
                    if line > after:
                        return True
                    at = framed.find(pattern, at + 1)
        lines += count
        if lines >= before:
            break
    return False


def _is_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII text is a NUL."""
    return sample.count(b"\x00") > len(sample) // 10


def _guess_encoding(sample: bytes) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if _is_utf16(sample):
        return "UTF-16"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample.replace(b"\x00", b"")).best()
    except ImportError:  # optional: only used to name the encoding in the message
        best = None
    return best.encoding.upper() if best is not None else "未知 unknown"


def wrong_encoding(path: Path, requested: str) -> IngestError:
    with path.open("rb") as fh:
        guess = _guess_encoding(fh.read(64 * 1024))
    wanted = {"utf-8": "UTF-8", "gbk": "GBK"}.get(requested)
    if wanted is not None:
        return IngestError(
            f"文件不是 {wanted} 编码（看起来是 {guess}）。",
            f"the file is not {wanted} (it looks like {guess}).",
            "可改用 Try: --encoding auto",
        )
    return IngestError(
        f"文件编码是 {guess}，既不是 UTF-8 也不是 GBK。",
        f"the file is encoded as {guess}, neither UTF-8 nor GBK.",
        "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
    )


def detect_encoding(path: Path, requested: str, *, copy: Path) -> TextScan:
    """The codec to read a CSV with (``utf-8`` or ``gb18030``) and its damaged lines.

    With ``auto``, the codec under which fewer lines are damaged wins, UTF-8 on a tie.
    A file with more damaged lines than readable ones is refused as being in another
    encoding; so is a UTF-16 or UTF-32 file. A clean GB18030 file is copied to ``copy``
    (as :func:`write_copy` would) while it is decoded, and ``TextScan.copy`` says so.
    """
    if requested not in ENCODINGS:
        raise IngestError(
            f'不支持编码 "{requested}"，只能是 auto、utf-8 或 gbk。',
            f'Encoding "{requested}" is not supported; use auto, utf-8 or gbk.',
        )
    with path.open("rb") as fh:
        sample = fh.read(64 * 1024)
    if any(sample.startswith(bom) for bom, _ in _BOMS) or _is_utf16(sample):
        name = _guess_encoding(sample)
        raise IngestError(
            f"文件编码是 {name}，只支持 UTF-8 和 GBK。",
            f"the file is encoded as {name}; only UTF-8 and GBK are supported.",
            "请另存为 UTF-8 或 GBK 编码的 CSV。 Save it as a UTF-8 or GBK CSV.",
        )
    candidates = {"auto": ("utf-8", "gb18030"), "utf-8": ("utf-8",), "gbk": ("gb18030",)}
    passes: dict[str, _Pass] = {}
    for codec in candidates[requested]:
        written = copy if codec != "utf-8" else None
        passes[codec] = done = _decode_all(path, codec, written)
        if done.is_clean:
            return TextScan(codec, done.lines, (), *_ending(path, done.lines), copy=written)
    # Damaged under every candidate: the one that damages fewer lines wins. The codec
    # that decoded further is counted first, so the other can stop counting early.
    order = sorted(passes, key=lambda c: -passes[c].reached)
    best = scan(path, order[0])
    assert best is not None
    for codec in order[1:]:
        other = scan(path, codec, limit=len(best.damaged))
        if other is not None and (len(other.damaged), codec != "utf-8") < (
            len(best.damaged),
            best.codec != "utf-8",
        ):
            best = other
    if 2 * len(best.damaged) > best.lines:
        raise wrong_encoding(path, requested)
    log.info("%s: %d damaged lines read as %s", path, len(best.damaged), best.codec)
    return best


class _Cleaner:
    """Text on its way into the copy: a space in each empty line, optionally LF line ends.

    Text arrives in pieces that may split a line break; the last two characters are
    held back so that every empty line is seen whole.
    """

    def __init__(self, *, lf_only: bool) -> None:
        self.lf_only = lf_only
        self.held = ""

    def feed(self, text: str) -> str:
        text = self.held + text
        if self.lf_only:
            text = text.replace("\r\n", "\n")
        for empty, filled in (("\n\n", "\n \n"), ("\n\r\n", "\n \r\n")):
            if empty in text:  # twice: one pass fills only every other line of a run
                text = text.replace(empty, filled).replace(empty, filled)
        if text.startswith(("\n", "\r\n")) and not self.held:
            text = " " + text  # the first line, or the line after the last piece, is empty
        self.held = text[-2:]
        return text[:-2]

    def finish(self) -> str:
        held, self.held = self.held, ""
        return held


def write_copy(path: Path, found: TextScan, out: Path, *, lf_only: bool = False) -> Path:
    """A normalised UTF-8 copy of the file for DuckDB to read.

    Each empty line holds a space, so that DuckDB sets it aside and numbers it rather
    than skipping it unnumbered; each damaged line is a placeholder naming its index in
    ``found.damaged``; ``lf_only`` makes every line end LF (DuckDB's strict reader
    refuses a file with mixed line ends).
    """
    damaged = {d.line: k for k, d in enumerate(found.damaged)}
    cleaner = _Cleaner(lf_only=lf_only)
    lines = 0
    with out.open("w", encoding="utf-8", newline="") as dst:
        for block in _blocks(path):
            if lines == 0 and block.startswith(codecs.BOM_UTF8):
                block = block[len(codecs.BOM_UTF8) :]
            count = block.count(b"\n") + (not block.endswith(b"\n")) if damaged else 0
            if not any(lines < n <= lines + count for n in damaged):
                text = block.decode(found.codec)
            else:
                text = "\n".join(
                    f"{MARK}{damaged[lines + k + 1]}"
                    if lines + k + 1 in damaged
                    else raw.decode(found.codec)
                    for k, raw in enumerate(_lines_of(block))
                ) + ("\n" if block.endswith(b"\n") else "")
            dst.write(cleaner.feed(text))
            lines += count
        dst.write(cleaner.finish())
    return out


def shown(raw: bytes, codec: str) -> str:
    """A damaged line for the quarantine file: readable text, other bytes as \\xNN.

    >>> shown("王伟".encode("gb18030")[:3] + b"\\x00", "gb18030")
    '王\\\\xce\\\\x00'
    """
    return raw.decode(codec, "backslashreplace").replace("\x00", "\\x00")
