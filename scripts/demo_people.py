"""Invented companies and people of the demo data: names, business domains, countries, sizes and emails."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import demo_words as w
from demo_common import choice
from demo_io import concat, num_text, slug, words

SEGMENTS = ["smb", "mid_market", "enterprise"]
_BLOCK = len(w.COMPANY_WORDS_A) * len(w.COMPANY_WORDS_B)


@dataclass
class Companies:
    """One row per company; idx is the company's global number (unique across the whole run)."""

    idx: np.ndarray
    name: pa.Array
    domain: pa.Array
    country: np.ndarray  # code into demo_words.COUNTRIES
    segment: np.ndarray  # 0 smb, 1 mid_market, 2 enterprise
    employees: np.ndarray
    industry: np.ndarray  # code into demo_words.INDUSTRIES

    @property
    def currency(self) -> np.ndarray:
        """Code into demo_words.CURRENCIES (usd, eur, gbp)."""
        return np.array([w.CURRENCIES.index(c) for c in w.COUNTRY_CURRENCY])[self.country]


def _name_parts(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A bijection from company numbers to (word A, word B, suffix) so that names never repeat."""
    idx = np.asarray(idx, dtype=np.int64)
    j = np.where(idx < _BLOCK, (idx * 977) % _BLOCK, idx)
    na = len(w.COMPANY_WORDS_A)
    return j % na, (j // na) % len(w.COMPANY_WORDS_B), j // _BLOCK


def companies(rng: np.random.Generator, idx: np.ndarray, segment: np.ndarray,
              country: np.ndarray | None = None) -> Companies:
    """Companies with the given global numbers, size segments and (optionally) countries."""
    n = len(idx)
    a, b, c = _name_parts(idx)
    suffix_words = [""] + w.COMPANY_SUFFIXES
    has, numbered = pa.array(c > 0), pa.array(c >= len(suffix_words))
    word = pc.if_else(numbered, num_text(c), words(suffix_words, np.minimum(c, len(suffix_words) - 1)))
    name = concat(words(w.COMPANY_WORDS_A, a), " ", words(w.COMPANY_WORDS_B, b),
                  pc.if_else(has, concat(" ", word), pa.scalar("")))
    host = concat(slug(words(w.COMPANY_WORDS_A, a)), "-", slug(words(w.COMPANY_WORDS_B, b)),
                  pc.if_else(has, concat("-", slug(word)), pa.scalar("")))
    drawn = choice(rng, n, w.COUNTRY_WEIGHTS)
    country = drawn if country is None else np.where(np.asarray(country) < 0, drawn, country)
    generic = choice(rng, n, [0.45, 0.3, 0.15, 0.1])
    use_country_tld = (country > 0) & (rng.random(n) < 0.5)
    tld = pc.if_else(pa.array(use_country_tld), words(w.COUNTRY_TLD, country),
                     words(["com", "io", "co", "ai"], generic))
    domain = concat(host, ".", tld)
    lo = np.array([3, 200, 1000])[segment]
    hi = np.array([199, 999, 20000])[segment]
    employees = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi + 1)))).astype(np.int64)
    industry = rng.integers(0, len(w.INDUSTRIES), n)
    return Companies(np.asarray(idx), name, domain, country, np.asarray(segment), employees, industry)


@dataclass
class People:
    first: np.ndarray  # code into FIRST_NAMES
    last: np.ndarray  # code into LAST_NAMES
    title: np.ndarray  # code into TITLES
    email: pa.Array  # the address they use (lower-case, trimmed): work or free-mail
    work_email: pa.Array  # their address at the company domain
    phone: pa.Array
    free_mail: np.ndarray

    @property
    def first_name(self) -> pa.Array:
        return words(w.FIRST_NAMES, self.first)

    @property
    def last_name(self) -> pa.Array:
        return words(w.LAST_NAMES, self.last)

    @property
    def full_name(self) -> pa.Array:
        return concat(self.first_name, " ", self.last_name)


def people(rng: np.random.Generator, person_idx: np.ndarray, domain: pa.Array, country: np.ndarray,
           free_mail_rate: float = 0.0) -> People:
    """People at the given company domains; a share use free-mail (then the local part carries their number)."""
    n = len(person_idx)
    first = rng.integers(0, len(w.FIRST_NAMES), n)
    last = rng.integers(0, len(w.LAST_NAMES), n)
    title = rng.integers(0, len(w.TITLES), n)
    f = slug(words(w.FIRST_NAMES, first))
    la = slug(words(w.LAST_NAMES, last))
    style = choice(rng, n, [0.55, 0.2, 0.15, 0.1])
    local = pc.choose(pa.array(style.astype(np.int8)), concat(f, ".", la), concat(pc.utf8_slice_codeunits(f, 0, 1), la),
                      f, concat(f, "_", la))
    free = rng.random(n) < free_mail_rate
    free_local = concat(f, ".", la, num_text(np.asarray(person_idx)))
    free_domain = words(w.FREE_MAIL, rng.integers(0, len(w.FREE_MAIL), n))
    work = concat(local, "@", domain)
    email = pc.if_else(pa.array(free), concat(free_local, "@", free_domain), work)
    phone = phones(rng, country)
    return People(first, last, title, email, work, phone, free)


def phones(rng: np.random.Generator, country: np.ndarray) -> pa.Array:
    n = len(country)
    return concat(words(w.COUNTRY_PHONE, country), " ", num_text(rng.integers(20, 999, n)), " ",
                  num_text(rng.integers(1000000, 9999999, n)))


def as_typed(rng: np.random.Generator, email: pa.Array, p_variant: float, p_space: float = 0.0) -> pa.Array:
    """Emails the way people type them: mostly as is, some capitalised or upper-case, some with stray spaces."""
    n = len(email)
    kind = np.where(rng.random(n) < p_variant, choice(rng, n, [0.6, 0.25, 0.15]) + 1, 0)
    kind = np.where(rng.random(n) < p_space, 4, kind)
    spaced = pc.choose(pa.array(rng.integers(0, 3, n).astype(np.int8)), concat(" ", email), concat(email, " "),
                       concat(" ", pc.utf8_title(email), "  "))
    return pc.choose(pa.array(kind.astype(np.int8)), email, pc.utf8_title(email), pc.utf8_capitalize(email),
                     pc.utf8_upper(email), spaced)
