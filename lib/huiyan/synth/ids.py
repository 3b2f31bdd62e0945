"""Identifiers for the synthetic province, made in bulk with numpy: IDs, credit codes, plates, case numbers.

Check digits follow the same standards as :mod:`huiyan.identifiers` (whose
weights and alphabets are used here), computed on whole arrays at once.

Example:
    >>> import numpy as np
    >>> from huiyan.identifiers import is_resident_id
    >>> ids = resident_ids(np.array(["330602"]), np.array(["1980-01-01"], dtype="datetime64[D]"),
    ...                    np.array(["男"]), np.array([12]))
    >>> ids[0], is_resident_id(ids[0])
    ('330602198001010250', True)
"""

from __future__ import annotations

import numpy as np

from huiyan.identifiers import (
    CREDIT_CODE_CHARS,
    CREDIT_CODE_WEIGHTS,
    RESIDENT_ID_CHECK,
    RESIDENT_ID_WEIGHTS,
)

_PLATE_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ"))  # no I or O on plates
_DIGITS = np.array(list("0123456789"))
_CC = np.array(list(CREDIT_CODE_CHARS))


def _chars(strings: np.ndarray, width: int) -> np.ndarray:
    """An (n, width) array of the code points of fixed-width ASCII strings."""
    arr = np.asarray(strings, dtype=f"<U{width}")
    return arr.view(np.uint32).reshape(len(arr), width)


def _rowjoin(chars: np.ndarray) -> np.ndarray:
    """Join each row of an (n, width) array of single characters into one string."""
    n, width = chars.shape
    if not n:
        return np.array([], dtype=f"<U{width}")
    return np.ascontiguousarray(chars, dtype="<U1").view(f"<U{width}").ravel()


def _join(columns: list[np.ndarray]) -> np.ndarray:
    out = columns[0].astype(object)
    for col in columns[1:]:
        out = out + col.astype(object)
    return out


def resident_id_checks(first17: np.ndarray) -> np.ndarray:
    """The check character of each 17-digit string (GB 11643-1999)."""
    digits = _chars(first17, 17).astype(np.int64) - ord("0")
    total = digits @ np.array(RESIDENT_ID_WEIGHTS, dtype=np.int64)
    return np.array(list(RESIDENT_ID_CHECK))[total % 11]


def resident_ids(
    regions: np.ndarray, birth_dates: np.ndarray, genders: np.ndarray, seqs: np.ndarray
) -> np.ndarray:
    """18-character resident IDs: region, birth date, 3-digit sequence (odd for men), check.

    ``seqs`` (0-499) picks the sequence: the sequence number is ``2*seq + 1`` for men and
    ``2*seq`` for women, so the 17th digit carries the gender as the standard requires.
    """
    dates = np.datetime_as_string(np.asarray(birth_dates, dtype="datetime64[D]"))
    ymd = np.char.replace(dates.astype("<U10"), "-", "")
    male = np.asarray(genders) == "男"
    seq = (np.asarray(seqs, dtype=np.int64) % 500) * 2 + male
    seq_s = np.char.zfill(seq.astype("<U3"), 3)
    first17 = np.char.add(np.char.add(np.asarray(regions, dtype="<U6"), ymd), seq_s)
    return _join([first17, resident_id_checks(first17)])


def credit_code_checks(first17: np.ndarray) -> np.ndarray:
    """The check character of each 17-character credit-code body (GB 32100-2015)."""
    codes = _chars(first17, 17)
    lookup = np.full(128, -1, dtype=np.int64)
    lookup[[ord(c) for c in CREDIT_CODE_CHARS]] = np.arange(len(CREDIT_CODE_CHARS))
    values = lookup[codes]
    total = values @ np.array(CREDIT_CODE_WEIGHTS, dtype=np.int64)
    return _CC[(31 - total % 31) % 31]


def credit_codes(regions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Enterprise credit codes (91 + region + 9-character organisation code + check), one per region.

    About half look like post-2015 registrations (``MA`` + 7 characters), the rest
    like converted organisation codes (9 digits and letters).
    """
    regions = np.asarray(regions, dtype="<U6")
    n = len(regions)
    body = _CC[rng.integers(0, len(_CC), size=(n, 9))]
    new_style = rng.random(n) < 0.5
    body[new_style, 0] = "M"
    body[new_style, 1] = "A"
    org = _rowjoin(body)
    first17 = np.char.add(np.char.add("91", regions), org)
    return _join([first17, credit_code_checks(first17)])


def plates(
    prefixes: np.ndarray, rng: np.random.Generator, *, new_energy: float = 0.08
) -> np.ndarray:
    """Plate numbers such as 浙D12345, 浙D3A5K7 or (new energy) 浙DD12345 for each prefix."""
    prefixes = np.asarray(prefixes, dtype="<U2")
    n = len(prefixes)
    body = _DIGITS[rng.integers(0, 10, size=(n, 5))]
    letters = _PLATE_LETTERS[rng.integers(0, len(_PLATE_LETTERS), size=(n, 5))]
    # about 40% carry one or two letters among the five characters
    one = rng.random(n) < 0.4
    pos = rng.integers(0, 5, size=n)
    body[one, pos[one]] = letters[one, pos[one]]
    two = one & (rng.random(n) < 0.4)
    pos2 = (pos + 2) % 5
    body[two, pos2[two]] = letters[two, pos2[two]]
    ev = rng.random(n) < new_energy
    ev_letter = np.where(rng.random(n) < 0.8, "D", "F")
    ev_body = _DIGITS[rng.integers(0, 10, size=(n, 5))]
    out = np.empty(n, dtype=object)
    plain = _rowjoin(body).astype(object)
    evs = _rowjoin(ev_body).astype(object)
    out[:] = prefixes.astype(object) + plain
    out[ev] = prefixes[ev].astype(object) + ev_letter[ev].astype(object) + evs[ev]
    return out


def case_nos(
    court_codes: np.ndarray, years: np.ndarray, kinds: np.ndarray, seqs: np.ndarray
) -> np.ndarray:
    """Case numbers in the court's format: （2021）浙0602民初1234号."""
    return _join(
        [
            np.full(len(np.asarray(seqs)), "（", dtype=object),
            np.asarray(years).astype(str),
            np.full(len(np.asarray(seqs)), "）", dtype=object),
            np.asarray(court_codes).astype(str),
            np.asarray(kinds).astype(str),
            np.asarray(seqs).astype(np.int64).astype(str),
            np.full(len(np.asarray(seqs)), "号", dtype=object),
        ]
    )


def serials(prefix: str, n: int, *, start: int = 1, width: int = 8) -> np.ndarray:
    """Sequential ids ``prefix`` + zero-padded number, e.g. CLM00000001."""
    nums = np.char.zfill(np.arange(start, start + n).astype(str), width)
    return np.char.add(prefix, nums).astype(object)
