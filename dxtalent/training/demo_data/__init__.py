"""Demo and scale data of the training engine: ① the general-staff course catalog (研修メニュー).

Hooks called by `dxtalent.org.demo.builder` after the org data, inside the same transaction:

- `load_demo` writes the catalog of dxtalent/training/demo/catalog.yaml (courses, this 年度's runs and sessions)
  and replays the year up to today THROUGH THE SERVICES: applications (申込) on their days, the managers'
  decisions (承認 / 不承認; the demo manager decides for their own 課, 職員部 for the others), cancellations and
  the waitlist (キャンセル待ち, 繰上げ), attendance on each held session, 修了 / 未修了, e-learning completions (the
  mandatory course's through the vendor-file import, one file a month). Each step runs under `clock(day)`, so the
  services see the day it happened (their "today" checks, auto timestamps and change history all carry that
  day). Sessions after today stay scheduled; applications of the last days stay 申込 (the demo manager has a few
  of their own 課 to approve). The demo employee login has training of their own (catalog.yaml). Applicant
  numbers are set for `reference_staff` people and shrink with a smaller --employees.
- `generate_scale_data` writes about 0.8 enrollments per person in post for the current 年度 (≈ 20,000 at
  25,000 staff), with sessions, attendance and e-learning completions, by plain bulk inserts (no change history):
  the services would take minutes at that volume, and the benchmarks need volume, not a story.

`load_demo` writes nothing without a policy pack (the talent types come from it; `make run` loads the pack
first); `generate_scale_data` loads Sapporo's pack (policy_packs/sapporo-r8) when none is loaded.
Deterministic: the same seed and day give the same data.
"""

from .catalog import load_demo
from .common import Cast, Staff, clock, ensure_pack, fy_date, pack_or_none, parse_time, plus_hours, read_yaml
from .scale import generate_scale_data

__all__ = [
    "Cast",
    "Staff",
    "clock",
    "ensure_pack",
    "fy_date",
    "generate_scale_data",
    "load_demo",
    "pack_or_none",
    "parse_time",
    "plus_hours",
    "read_yaml",
]
