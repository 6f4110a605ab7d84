"""Japanese search of the case library (ADR 0004): candidates from the database, ranking and highlights in Python.

Both databases index `Case.search_text`: three lines (title, summary, body), each normalised with
`dxtalent.core.text.search_key` (NFKC, hiragana → katakana, lower case, no spaces). The body holds the case's
texts, plus the unit name only when `show_unit` and the leader's name only when `show_leader`, so hidden details
can never be found. A query is split on spaces (全角スペース too); every term must occur (AND).

- SQLite: the FTS5 table `projects_case_fts` (tokenize='trigram', rowid = case id; migration 0002) answers terms
  of three or more characters with MATCH; shorter terms (進捗, 照会, 台帳) use LIKE on `projects_case.search_text`
  (a trigram index cannot answer them). The FTS table has no triggers: `index_cases` keeps it in step and the case
  services call it after every write; bulk inserts (demo, scale data) must call `index_cases()` afterwards.
- PostgreSQL: LIKE '%term%' on `search_text`, served by the GIN `gin_trgm_ops` index for terms of ≥ 3 characters.

The score is computed in Python from `search_text` alone (occurrences × 3 in the title, × 2 in the summary, × 1 in
the body; ties → newest), so both databases return the same order; highlights escape the text and wrap every
match in <mark>.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dxtalent.core.text import normalize, search_key, to_katakana

from .models import Case

FTS_TABLE = "projects_case_fts"
WEIGHTS = (3, 2, 1)  # title, summary, body
CANDIDATE_CAP = 500  # the newest 500 matching cases are ranked; more are reported as capped
MAX_TERMS = 8
MAX_TERM_LENGTH = 100
SNIPPET_WIDTH = 80
SNIPPET_LEAD = 20  # characters shown before the first hit


@dataclass
class CaseHit:
    case: Case
    score: int
    title_html: SafeString
    snippet_html: SafeString


# ---------------------------------------------------------------- text and terms


def parse_terms(q) -> list[str]:
    """The query's terms, normalised like the indexed text; duplicates dropped, at most MAX_TERMS."""
    terms: list[str] = []
    for word in normalize(q).split(" "):
        term = search_key(word)[:MAX_TERM_LENGTH]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def build_search_text(case: Case, *, unit_label: str = "", leader_name: str = "") -> str:
    """Title, summary and body lines; the unit / leader only when the case shows them."""
    body = [case.problem, case.as_is, case.to_be, case.solution, case.operating_rule, case.effects]
    if case.show_unit:
        body.append(unit_label)
    if case.show_leader:
        body.append(leader_name)
    return "\n".join((search_key(case.title), search_key(case.summary), " ".join(search_key(p) for p in body if p)))


def score(search_text: str, terms: list[str]) -> int:
    """Weighted occurrences; 0 when some term is missing (the case does not match)."""
    lines = [*search_text.split("\n"), "", "", ""][:3]
    total = 0
    for term in terms:
        found = sum(weight * line.count(term) for weight, line in zip(WEIGHTS, lines, strict=True))
        if not found:
            return 0
        total += found
    return total


# ---------------------------------------------------------------- the index


def _unit_labels(unit_ids) -> dict[int, str]:
    from dxtalent.org.selectors import org_snapshot

    snap = org_snapshot()
    return {unit_id: snap.label_of(unit_id) for unit_id in unit_ids}


def index_cases(case_ids: Iterable[int] | None = None) -> int:
    """Rebuild `search_text` (and, on SQLite, the FTS rows) of some cases, or of all when `case_ids` is None.

    Returns the number of cases indexed. Call it after any write that bypasses the case services.
    """
    qs = Case.objects.select_related("project__leader").order_by("pk")
    ids = None if case_ids is None else sorted(set(case_ids))
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    cases = list(qs)
    labels = _unit_labels({c.project.unit_id for c in cases if c.show_unit})
    changed = []
    for case in cases:
        leader = case.project.leader
        text = build_search_text(
            case,
            unit_label=labels.get(case.project.unit_id, ""),
            leader_name=leader.name if leader is not None else "",
        )
        if text != case.search_text:
            case.search_text = text
            changed.append(case)
    Case.objects.bulk_update(changed, ["search_text"], batch_size=500)
    if connection.vendor == "sqlite":
        _sync_fts([c.pk for c in cases] if ids is not None else None)
    return len(cases)


def _sync_fts(ids: list[int] | None) -> None:
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM projects_case")
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM projects_case "
                f"WHERE id IN ({marks})",
                chunk,
            )


# ---------------------------------------------------------------- candidates and ranking


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def matching(qs: QuerySet, terms: list[str]) -> QuerySet:
    """Narrow a Case queryset to rows whose search_text contains every term (the database's own index)."""
    sqlite = connection.vendor == "sqlite"
    for term in terms:
        if sqlite and len(term) >= 3:
            fts = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (_fts_phrase(term),))
            qs = qs.filter(pk__in=fts)
        else:  # LIKE '%term%' (escaped): SQLite for short terms; PostgreSQL via the pg_trgm GIN index
            qs = qs.filter(search_text__contains=term)
    return qs


@dataclass
class Ranking:
    ids: list[int]  # best first
    scores: dict[int, int]
    capped: bool  # more than CANDIDATE_CAP cases matched: only the newest were ranked


def rank(qs: QuerySet, terms: list[str], *, sort: str = "relevance") -> Ranking:
    """Match `terms` in `qs` (published cases, already filtered) and order them. One query.

    sort: "relevance" (score, then newest), "newest", or "adopted" (units that adopted, then score).
    """
    fields = ["pk", "search_text", "published_at"]
    candidates = matching(qs, terms).order_by("-published_at", "-pk")
    if sort == "adopted":
        from .selectors.cases import with_adoption_stats

        candidates = with_adoption_stats(candidates)
        fields.append("adopted_units")
    rows = list(candidates.values_list(*fields)[: CANDIDATE_CAP + 1])
    capped = len(rows) > CANDIDATE_CAP
    scored = []
    for position, row in enumerate(rows[:CANDIDATE_CAP]):  # position 0 = newest
        points = score(row[1], terms)
        if points:
            scored.append((row[0], points, position, row[3] if sort == "adopted" else 0))
    if sort == "newest":
        scored.sort(key=lambda r: r[2])
    elif sort == "adopted":
        scored.sort(key=lambda r: (-r[3], -r[1], r[2]))
    else:
        scored.sort(key=lambda r: (-r[1], r[2]))
    return Ranking(ids=[r[0] for r in scored], scores={r[0]: r[1] for r in scored}, capped=capped)


# ---------------------------------------------------------------- highlights


def _keyed(text: str) -> tuple[str, list[int]]:
    """`text` as its search key, with the index in `text` of every key character (for mapping hits back)."""
    chars: list[str] = []
    owners: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            if not ch.isspace():
                chars.append(ch.lower())
                owners.append(i)
            continue
        for k in to_katakana(unicodedata.normalize("NFKC", ch)).lower():
            if not k.isspace():
                chars.append(k)
                owners.append(i)
    return "".join(chars), owners


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of `text` where some term occurs."""
    key, owners = _keyed(text)
    spans = []
    for term in terms:
        at = key.find(term)
        while at != -1:
            spans.append((owners[at], owners[at + len(term) - 1] + 1))
            at = key.find(term, at + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[at:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    out.append(escape(text[at:end]))
    return "".join(out)


def highlight(text: str, terms: list[str]) -> SafeString:
    """The whole text, escaped, with every match wrapped in <mark>."""
    text = " ".join((text or "").split())
    return mark_safe(_render(text, _spans(text, terms) if terms else []))  # escaped in _render


def snippet(texts: list[str], terms: list[str], width: int = SNIPPET_WIDTH) -> SafeString:
    """About `width` characters around the first hit in the first text that has one (else the first text's head)."""
    texts = [" ".join((t or "").split()) for t in texts]
    texts = [t for t in texts if t]
    if not texts:
        return mark_safe("")
    chosen, spans = texts[0], []
    if terms:
        for text in texts:
            key = search_key(text)
            if any(term in key for term in terms):
                found = _spans(text, terms)
                if found:
                    chosen, spans = text, found
                    break
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_LEAD)
    end = min(len(chosen), start + width)
    start = max(0, min(start, end - width))
    body = _render(chosen, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(chosen) else ""))


def case_hit(case: Case, terms: list[str], points: int = 0, *, unit_label: str = "", leader_name: str = "") -> CaseHit:
    """A result card's highlighted title and snippet (unit and leader only when the case shows them)."""
    texts = [case.summary, case.problem, case.as_is, case.to_be, case.solution, case.operating_rule, case.effects]
    if case.show_unit and unit_label:
        texts.append(unit_label)
    if case.show_leader and leader_name:
        texts.append(leader_name)
    return CaseHit(case=case, score=points, title_html=highlight(case.title, terms), snippet_html=snippet(texts, terms))


def search_cases(user, q, *, work_category: str = "", tool_kind: str = "", limit: int = 50) -> list[CaseHit]:
    """The first `limit` published cases matching `q`, best first (see selectors.cases.library_search)."""
    from .selectors.cases import library_search

    page = library_search(
        user=user, q=q, work_category=work_category, tool_kind=tool_kind, sort="relevance", page=1, per_page=limit
    )
    return page.hits
