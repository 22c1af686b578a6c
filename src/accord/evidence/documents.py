"""Reading news articles: plain text, Markdown, saved HTML pages and the annotated YAML of
the development set, into a `Document` whose `text` the claims' offsets index into.

Outlet and date come from (in this order) the options, a small front-matter block, the
page's metadata; the language from the option, the front matter or detection (simplemma,
Italian or English only). Every bad input raises `EvidenceError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

import yaml

from accord.errors import EvidenceError

LANGUAGES = ("it", "en")
"""Languages with a lexicon (`lexicon/<language>.yaml`)."""

_MIN_LANGUAGE_SCORE = 0.35
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Document:
    """One article: its id, where it came from, and the plain text offsets index into."""

    id: str
    path: str | None
    outlet: str | None
    date: str | None
    language: str
    text: str


def read_document(path: Path, outlet: str | None = None, date: str | None = None,
                  language: str | None = None) -> Document:
    """Read an article file (.txt, .md, .html/.htm, or an annotated .yaml) into a Document."""
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"{name}: cannot read the file ({exc.strerror or exc}); "
                            "expected a readable text, Markdown, HTML or YAML article") from None
    if not data.strip():
        raise EvidenceError(f"{name}: the file is empty; expected the text of an article")
    if b"\x00" in data[:8192]:
        raise EvidenceError(f"{name}: this is a binary file; expected a text, Markdown, HTML "
                            "or YAML article")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{name}: not UTF-8 (byte {exc.start}); expected an article "
                            "encoded in UTF-8") from None
    suffix = path.suffix.lower()
    meta: dict[str, str] = {}
    if suffix in _YAML_SUFFIXES:
        meta, text = _from_yaml(raw, name)
    elif suffix in _HTML_SUFFIXES or _looks_like_html(raw):
        meta, text = _from_html(raw, name)
    else:
        meta, text = _front_matter(raw, name)
        if suffix in (".md", ".markdown"):
            text = markdown_to_text(text)
    if not text.strip():
        raise EvidenceError(f"{name}: no article text after the metadata; expected the text "
                            "of an article")
    lang = language or meta.get("language") or detect_language(text, name)
    if lang not in LANGUAGES:
        raise EvidenceError(f"{name}: unknown language {lang!r}; expected one of "
                            f"{', '.join(LANGUAGES)}")
    return Document(id=str(meta.get("id") or path.stem), path=name,
                    outlet=outlet or meta.get("outlet") or None,
                    date=_iso_date(date or meta.get("date"), name), language=lang, text=text)


def detect_language(text: str, name: str = "<text>") -> str:
    """"it" or "en" by simplemma's word lists; anything else is an `EvidenceError`."""
    import simplemma

    scores = dict(simplemma.langdetect(text[:5000], lang=LANGUAGES))
    best = max(LANGUAGES, key=lambda lang: scores.get(lang, 0.0))
    if scores.get(best, 0.0) < _MIN_LANGUAGE_SCORE:
        raise EvidenceError(f"{name}: unknown language (neither Italian nor English); "
                            "expected an article in Italian or English, or --language")
    return best


def markdown_to_text(text: str) -> str:
    """Markdown made plain: headings, emphasis, links, images, code and quotes unmarked."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", r"\1", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s{0,3}(?:[-*_]\s*){3,}$", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _front_matter(raw: str, name: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise EvidenceError(f"{name}: the front matter is not valid YAML "
                            f"({exc.__class__.__name__}); expected lines such as "
                            "`outlet: Reuters` between two `---`") from None
    if not isinstance(meta, dict):
        raise EvidenceError(f"{name}: the front matter should be `key: value` lines "
                            "(id, outlet, date, language)")
    return _strings(meta), raw[match.end():]


def _from_yaml(raw: str, name: str) -> tuple[dict[str, str], str]:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise EvidenceError(f"{name}: not valid YAML ({exc.__class__.__name__}); expected an "
                            "annotated article with `document: {{id, outlet, date, language, "
                            "text}}`") from None
    document = data.get("document") if isinstance(data, dict) else None
    if not isinstance(document, dict) or not isinstance(document.get("text"), str):
        raise EvidenceError(f"{name}: expected an annotated article with a `document` mapping "
                            "holding `text` (and id, outlet, date, language)")
    return _strings({k: v for k, v in document.items() if k != "text"}), document["text"]


def _looks_like_html(raw: str) -> bool:
    head = raw.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _from_html(raw: str, name: str) -> tuple[dict[str, str], str]:
    import trafilatura

    if not re.search(r"<body[\s>]", raw, re.IGNORECASE) and not re.search(
            r"<(?:p|article|div|main)[\s>]", raw, re.IGNORECASE):
        raise EvidenceError(f"{name}: HTML without a body; expected a saved article page")
    text = trafilatura.extract(raw, output_format="txt", include_comments=False,
                               include_tables=False, favor_precision=True,
                               with_metadata=False) or ""
    if not text.strip():
        raise EvidenceError(f"{name}: HTML without a body (no article text found); expected "
                            "a saved article page")
    meta: dict[str, str] = {}
    found = trafilatura.extract_metadata(raw)
    if found is not None:
        for key, field in (("outlet", "sitename"), ("date", "date"), ("title", "title")):
            value = getattr(found, field, None)
            if value:
                meta[key] = str(value)
    language = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", raw, re.IGNORECASE)
    if language and language.group(1).lower() in LANGUAGES:
        meta["language"] = language.group(1).lower()
    return meta, text.strip() + "\n"


def _strings(meta: dict) -> dict[str, str]:
    return {str(k): (v.isoformat() if isinstance(v, _date) else str(v))
            for k, v in meta.items() if v is not None}


def _iso_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        return value[:10]
    import dateparser

    parsed = dateparser.parse(value, languages=["it", "en"])
    if parsed is None:
        raise EvidenceError(f"{name}: cannot read the date {value!r}; expected yyyy-mm-dd")
    return parsed.date().isoformat()
