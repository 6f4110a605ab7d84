"""The policy's survey of the 20 designated cities (政令指定都市の専門採用枠): the pack's rows and the findings
`Pack.survey_findings()` computes from them (14 of 20 cities, 70%, 11 of those 14 as 事務職 … for Sapporo's pack).
No database query: reference data only."""

from dataclasses import dataclass

from dxtalent.policy.pack import Pack
from dxtalent.policy.pack_talent import CitySurveyRow, SurveyFindings

NONE_LABEL = "—"
SORTS = {
    "order": None,
    "city": lambda r: r.city,
    "track": lambda r: (not r.has_track, r.hire_category or "", r.placement or ""),
    "category": lambda r: (r.hire_category is None, r.hire_category or "", r.placement or ""),
    "placement": lambda r: (r.placement is None, r.placement or "", r.hire_category or ""),
}


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


@dataclass
class Survey:
    title: str
    source: str
    rows: list[tuple[int, CitySurveyRow]]  # (survey order, row)
    findings: SurveyFindings

    @property
    def without_track(self) -> int:
        return self.findings.cities - self.findings.with_track

    def as_dict(self) -> dict:
        f = self.findings
        return {
            "title": self.title,
            "source": self.source,
            "cities": f.cities,
            "with_track": f.with_track,
            "without_track": self.without_track,
            "percent": f.percent,
            "by_category": [{"category": c, "count": n, "share": _pct(n, f.with_track)} for c, n in f.by_category],
            "by_placement": [{"placement": p, "count": n, "share": _pct(n, f.with_track)} for p, n in f.by_placement],
            "placement_by_category": [
                {
                    "category": c,
                    "count": n,
                    "by_placement": [{"placement": p, "count": m, "share": _pct(m, n)} for p, m in split],
                }
                for c, n, split in f.placement_by_category
            ],
        }

    def chart(self) -> dict:
        f = self.findings
        placements = [p for p, _n in f.by_placement]
        return {
            "track": {"labels": ["専門枠あり", "専門枠なし"], "counts": [f.with_track, self.without_track]},
            "categories": [c for c, _n, _s in f.placement_by_category],
            "placements": placements,
            "split": [[dict(s).get(p, 0) for _c, _n, s in f.placement_by_category] for p in placements],
        }


def city_survey(pack: Pack, *, sort: str = "order") -> Survey:
    rows = list(enumerate(pack.city_survey, start=1))
    key = SORTS.get(sort)
    if key is not None:
        rows.sort(key=lambda pair: (key(pair[1]), pair[0]))
    return Survey(pack.city_survey_title, pack.city_survey_source, rows, pack.survey_findings())
