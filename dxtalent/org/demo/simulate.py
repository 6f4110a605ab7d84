"""Staff and years of April transfers (人事異動), simulated in memory from an OrgSpec — no database here.

Deterministic: the same spec, seed, size, years and "today" give the same people, numbers and history.
The rules (retirement, move probability by tenure, promotion thresholds) are in staffing.yaml:

* On the base day (1 April, `years` fiscal years before today's) every person has a 所属; the heads' seats
  (局長/区長, 部長/室長…, 課長, 係長) are filled by seniority, everyone else sits in a leaf unit (課 or 係).
* Every 1 April after that: people reaching `retire_after_years` of service (and a few others) leave;
  about a third move; vacant seats are filled by movers of the same grade or by promotion from the grade
  below; the remaining movers and as many new hires as leavers take the freed desks.
* On the day a unit closes, its people move (to the unit it was merged into, when there is one).
"""

import datetime as dt
import hashlib
import itertools
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from .names import FEMALE_GIVEN, MALE_GIVEN, SURNAMES, era_of
from .spec import ONE_DAY, OrgSpec, UnitSpec

HEAD_GRADES = (1, 2, 3, 4)
_BY_ERA = {
    (male, era): [g for g in (MALE_GIVEN if male else FEMALE_GIVEN) if g[2] == era]
    for male in (True, False)
    for era in (0, 1, 2)
}


@dataclass
class Person:
    idx: int
    number: str
    surname: str
    given: str
    surname_kana: str
    given_kana: str
    job: str  # job type code
    hire: dt.date
    grade: int
    rows: list[list] = field(default_factory=list)  # [unit code, position code, start, end]
    seat: str | None = None  # unit code of the seat held
    left_on: dt.date | None = None

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given}"

    @property
    def name_kana(self) -> str:
        return f"{self.surname_kana} {self.given_kana}"

    @property
    def email(self) -> str:
        return f"{self.number}@city.example.lg.jp"

    @property
    def unit(self) -> str | None:
        return self.rows[-1][0] if self.rows and self.rows[-1][3] is None else None

    @property
    def active(self) -> bool:
        return self.left_on is None


@dataclass
class LoginPick:
    role: str
    person: Person
    scope: str | None  # path of the scope unit
    is_staff: bool
    is_superuser: bool
    groups: list[str]


@dataclass
class Plan:
    spec: OrgSpec
    today: dt.date
    base: dt.date
    rounds: list[dt.date]
    people: list[Person]
    logins: list[LoginPick]

    @property
    def assignment_count(self) -> int:
        return sum(len(p.rows) for p in self.people)

    def active_people(self) -> list[Person]:
        return [p for p in self.people if p.active]

    def fingerprint(self) -> str:
        """A hash of every person, their job, dates and 所属 history (compare with builder.db_fingerprint)."""
        digest = hashlib.sha256()
        for p in sorted(self.people, key=lambda p: p.number):
            rows = ";".join(f"{u},{pos},{s},{e or ''}" for u, pos, s, e in p.rows)
            line = f"{p.number}|{p.name}|{p.name_kana}|{p.job}|{p.hire}|{p.left_on or ''}|{rows}\n"
            digest.update(line.encode())
        return digest.hexdigest()


class IndexedSet:
    """A set of ints with O(1) add, remove and uniform random sampling (deterministic order)."""

    def __init__(self):
        self.items: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, x: int) -> None:
        if x not in self.pos:
            self.pos[x] = len(self.items)
            self.items.append(x)

    def remove(self, x: int) -> None:
        i = self.pos.pop(x)
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i

    def __len__(self) -> int:
        return len(self.items)


def fiscal_year(day: dt.date) -> int:
    return day.year if (day.month, day.day) >= (4, 1) else day.year - 1


class Simulation:
    def __init__(self, spec: OrgSpec, *, employees: int, years: int, seed: int, today: dt.date):
        if employees < 1 or years < 1:
            raise ValueError("employees と years は1以上にしてください")
        self.spec = spec
        self.n = employees
        self.today = today
        self.rng = random.Random(seed)
        self.params = spec.staffing
        fy = fiscal_year(today)
        self.base = dt.date(fy - years, 4, 1)
        self.rounds = [dt.date(y, 4, 1) for y in range(fy - years + 1, fy + 1)]
        self.retire_after = int(self.params["retire_after_years"])
        self.min_service = {int(k): int(v) for k, v in self.params["min_service"].items()}
        self.move_p = {int(k): float(v) for k, v in self.params["move_probability"].items()}
        self.cap = int(float(self.params["head_ratio_cap"]) * employees)

        self.jobs = [j for j in spec.job_types if float(j.get("weight", 0)) > 0]
        self.job_cum = list(itertools.accumulate(float(j["weight"]) for j in self.jobs))
        self.allowed: dict[str, frozenset[str] | None] = {
            j["code"]: (spec.matching(j["place"]) if j.get("place") else None) for j in spec.job_types
        }
        self.preferred: dict[str, tuple[str, ...]] = {}
        for u in spec.units:
            self.preferred[u.code] = tuple(
                code for code, units in self.allowed.items() if units is not None and u.code in units
            )
        self.replacements = [
            (j["code"], j["replaces"], float(j["share"]), _as_date(j["hired_from"]))
            for j in spec.job_types
            if j.get("replaces")
        ]
        self.head_pos = {u.code: spec.head_position(u) for u in spec.units}
        self.unseated = {g: spec.unseated_position(g) for g in range(1, 7)}
        self.position_names = {p["code"]: p["name"] for p in spec.positions}

        self.people: list[Person] = []
        self.hire_seq: Counter = Counter()
        self.seq_width = max(4, len(str(employees // 10)))  # 職員番号 = 採用年（西暦4桁）+ 年内の連番
        self.pools: dict[tuple[int, str], IndexedSet] = {}
        self.seat_holder: dict[str, int] = {}
        self.active_seats: set[str] = set()
        self.seats_considered: set[str] = set()
        self._leaf_cache: dict[dt.date, list[UnitSpec]] = {}
        self._fallback_cache: dict[tuple[dt.date, str], tuple[list[str], list[float]]] = {}
        self.prev_leaves: set[str] = set()

    # ---- people -------------------------------------------------------------------------------------------
    def new_person(self, hire: dt.date, job: str) -> Person:
        rng = self.rng
        surname = SURNAMES[min(int(rng.paretovariate(0.9)) - 1, len(SURNAMES) - 1)]
        if rng.random() < 0.45:
            surname = rng.choice(SURNAMES)
        given_list = MALE_GIVEN if rng.random() < 0.55 else FEMALE_GIVEN
        era = era_of(hire.year - 22 - rng.randint(0, 6))
        same_era = _BY_ERA[(given_list is MALE_GIVEN, era)]
        given = rng.choice(same_era if same_era and rng.random() < 0.85 else given_list)
        self.hire_seq[hire.year] += 1
        number = f"{hire.year}{self.hire_seq[hire.year]:0{self.seq_width}d}"
        person = Person(
            idx=len(self.people),
            number=number,
            surname=surname[0],
            given=given[0],
            surname_kana=surname[1],
            given_kana=given[1],
            job=job,
            hire=hire,
            grade=6,
        )
        self.people.append(person)
        self._pool(person).add(person.idx)
        return person

    def _pool(self, person: Person) -> IndexedSet:
        key = (person.grade, person.job)
        if key not in self.pools:
            self.pools[key] = IndexedSet()
        return self.pools[key]

    def set_grade(self, person: Person, grade: int) -> None:
        if person.grade != grade:
            self._pool(person).remove(person.idx)
            person.grade = grade
            self._pool(person).add(person.idx)

    def service(self, person: Person, day: dt.date) -> int:
        years = day.year - person.hire.year
        return years - (1 if (day.month, day.day) < (person.hire.month, person.hire.day) else 0)

    def may_sit(self, person: Person, unit_code: str) -> bool:
        allowed = self.allowed[person.job]
        return allowed is None or unit_code in allowed

    # ---- org at a date ----------------------------------------------------------------------------------
    def leaves(self, day: dt.date) -> list[UnitSpec]:
        """Units people sit in on `day`: valid 部/課/係 with no valid child unit."""
        if day not in self._leaf_cache:
            valid = self.spec.valid_units(day)
            parents = {u.parent_on(day) for u in valid}
            self._leaf_cache[day] = [u for u in valid if u.level >= 2 and u.path not in parents]
        return self._leaf_cache[day]

    def leaf_under(self, unit: UnitSpec, day: dt.date) -> str:
        if unit.code in {u.code for u in self.leaves(day)}:
            return unit.code
        prefix = unit.path + "/"
        below = [u.code for u in self.leaves(day) if u.path.startswith(prefix)]
        return self.rng.choice(below) if below else unit.code

    def fallback_leaf(self, person: Person, day: dt.date) -> str:
        key = (day, person.job)
        if key not in self._fallback_cache:
            leaves = [u for u in self.leaves(day) if self.may_sit(person, u.code)] or self.leaves(day)
            self._fallback_cache[key] = ([u.code for u in leaves], list(itertools.accumulate(u.weight for u in leaves)))
        codes, cum = self._fallback_cache[key]
        for _ in range(4):
            code = codes[min(bisect_right(cum, self.rng.random() * cum[-1]), len(codes) - 1)]
            if code != person.unit:
                return code
        return code

    # ---- moves --------------------------------------------------------------------------------------------
    def move(self, person: Person, unit: str, position: str, day: dt.date, start: dt.date | None = None) -> None:
        start = start or day
        if person.rows and person.rows[-1][3] is None:
            last = person.rows[-1]
            if last[0] == unit and last[1] == position:
                return
            if last[2] >= start:
                last[0], last[1] = unit, position
                return
            last[3] = start - ONE_DAY
        person.rows.append([unit, position, start, None])

    def retire(self, person: Person, day: dt.date) -> None:
        if person.rows and person.rows[-1][3] is None:
            person.rows[-1][3] = max(person.rows[-1][2], day - ONE_DAY)
        person.left_on = day
        if person.seat and self.seat_holder.get(person.seat) == person.idx:
            del self.seat_holder[person.seat]
        person.seat = None
        self._pool(person).remove(person.idx)

    def staff_position(self, person: Person, day: dt.date) -> str:
        if person.grade == 6 and self.service(person, day) >= self.min_service[5]:
            self.set_grade(person, 5)
        return self.unseated[person.grade]

    # ---- seats --------------------------------------------------------------------------------------------
    def open_seats(self, day: dt.date) -> None:
        """Seats of units valid on `day` join the active set, top levels first, up to the head cap."""
        valid = {u.code for u in self.spec.valid_units(day)}
        for code in list(self.active_seats):
            if code not in valid:
                self.active_seats.discard(code)
                self.seat_holder.pop(code, None)
        for u in sorted(self.spec.valid_units(day), key=lambda u: (u.level, u.sort_order)):
            if u.code in self.seats_considered:
                continue
            self.seats_considered.add(u.code)
            if len(self.active_seats) < self.cap:
                self.active_seats.add(u.code)

    def pick_candidate(self, unit: UnitSpec, grade: int, movers: list[Person], placed: set[int], day: dt.date):
        """Who takes the seat: a mover of the same grade, else a promotion from the grades below."""
        preferred = self.preferred[unit.code]
        for want_preferred in (True, False) if preferred else (False,):
            for i, p in enumerate(movers):
                if p.idx in placed or p.unit == unit.code or not self.may_sit(p, unit.code):
                    continue
                if not want_preferred or p.job in preferred:
                    return movers.pop(i)
        min_service = self.min_service[grade]

        def eligible(p: Person) -> bool:
            return p.idx not in placed and self.service(p, day) >= min_service and self.may_sit(p, unit.code)

        for lower in range(grade + 1, 7):
            job_sets = [preferred, None] if preferred else [None]
            for jobs in job_sets:
                pools = [s for (g, j), s in sorted(self.pools.items()) if g == lower and (jobs is None or j in jobs)]
                total = sum(len(s) for s in pools)
                if not total:
                    continue
                for _ in range(60):
                    k = self.rng.randrange(total)
                    for s in pools:
                        if k < len(s):
                            p = self.people[s.items[k]]
                            break
                        k -= len(s)
                    if eligible(p):
                        return p
                for s in pools:
                    for idx in s.items:
                        if eligible(self.people[idx]):
                            return self.people[idx]
        return None

    def fill_seats(
        self,
        day: dt.date,
        seat_movers: dict[int, list[Person]],
        placed: set[int],
        freed: list[str],
        moving: set[int],
    ) -> list[Person]:
        """Fill every vacant active seat, highest grade first; returns movers left without a seat."""
        by_code = self.spec.by_code
        vacancies: dict[int, list[str]] = {g: [] for g in HEAD_GRADES}
        for code in sorted(self.active_seats, key=lambda c: by_code[c].sort_order):
            if code not in self.seat_holder:
                vacancies[by_code[code].level].append(code)
        leftovers: list[Person] = []
        for grade in HEAD_GRADES:
            queue = vacancies[grade]
            self.rng.shuffle(queue)
            movers = seat_movers.get(grade, [])
            i = 0
            while i < len(queue):
                unit = by_code[queue[i]]
                i += 1
                p = self.pick_candidate(unit, grade, movers, placed, day)
                if p is None:
                    continue
                if p.seat and self.seat_holder.get(p.seat) == p.idx:  # promoted from a seat below
                    vacated = p.seat
                    del self.seat_holder[vacated]
                    vacancies[by_code[vacated].level].append(vacated)
                elif p.unit is not None and p.idx not in moving:
                    freed.append(p.unit)  # promoted from a desk (a mover's desk was freed already)
                self.set_grade(p, grade)
                self.seat_holder[unit.code] = p.idx
                p.seat = unit.code
                placed.add(p.idx)
                self.move(p, unit.code, self.head_pos[unit.code], day)
            for p in movers:
                if p.idx not in placed:
                    p.seat = None
                    leftovers.append(p)
        return leftovers

    # ---- desks --------------------------------------------------------------------------------------------
    def place(self, incoming: list[Person], pool: list[str], priority: list[str], day: dt.date, placed: set[int]):
        """Seat-less people take freed desks (new units first); strictly placed job types choose first."""
        strict = [p for p in incoming if self.allowed[p.job] is not None]
        others = [p for p in incoming if self.allowed[p.job] is None]
        randrange = self.rng.randrange
        for p in strict + others:
            if p.idx in placed:
                continue
            target = None
            current = p.unit
            allowed = self.allowed[p.job]
            tries = 40 if allowed is not None else 10
            for slots in (priority, pool):
                for _ in range(min(tries, len(slots))):
                    k = randrange(len(slots))
                    if slots[k] != current and (allowed is None or slots[k] in allowed):
                        target = slots[k]
                        slots[k] = slots[-1]
                        slots.pop()
                        break
                if target:
                    break
            if target is None:
                target = self.fallback_leaf(p, day)
            p.seat = None
            placed.add(p.idx)
            self.move(p, target, self.staff_position(p, day), day)

    # ---- the story ----------------------------------------------------------------------------------------
    def initial(self) -> None:
        day = self.base
        rng = self.rng
        services = sorted((rng.randrange(self.retire_after) for _ in range(self.n)), reverse=True)
        for s in services:
            job = self.jobs[bisect_right(self.job_cum, rng.random() * self.job_cum[-1])]["code"]
            self.new_person(dt.date(day.year - s, 4, 1), job)
        self.open_seats(day)
        placed: set[int] = set()
        self.fill_seats(day, {}, placed, [], set())
        staff = [p for p in self.people if p.idx not in placed]
        for p in staff:
            self.set_grade(p, 5 if self.service(p, day) >= self.min_service[5] else 6)
        leaves = self.leaves(day)
        total_weight = sum(u.weight for u in leaves)
        quotas = [len(staff) * u.weight / total_weight for u in leaves]
        slots = [u.code for u, q in zip(leaves, quotas, strict=True) for _ in range(int(q))]
        remainders = sorted(range(len(leaves)), key=lambda i: int(quotas[i]) - quotas[i])
        slots += [leaves[i].code for i in remainders[: len(staff) - len(slots)]]
        rng.shuffle(staff)
        self.place(staff, slots, [], day, set())
        starts = [int(y) for y in self.params["initial_start_years"]]
        for p in self.people:
            unit = self.spec.by_code[p.rows[0][0]]
            begin = max(p.hire, dt.date(day.year - rng.choice(starts), 4, 1), unit.since)
            p.rows[0][2] = begin
        self.prev_leaves = {u.code for u in leaves}

    def step(self, day: dt.date, full: bool) -> None:
        rng = self.rng
        valid = {u.code for u in self.spec.valid_units(day)}
        leaves = self.leaves(day)
        leaf_codes = {u.code for u in leaves}
        freed: list[str] = []
        active = [p for p in self.people if p.active]
        leavers: list[Person] = []
        if full:
            early = float(self.params["early_leave_rate"])
            for p in active:
                if self.service(p, day) >= self.retire_after or rng.random() < early:
                    if p.seat is None and p.unit in valid:
                        freed.append(p.unit)
                    self.retire(p, day)
                    leavers.append(p)
            active = [p for p in active if p.active]
        seat_movers: dict[int, list[Person]] = {g: [] for g in HEAD_GRADES}
        staff_movers: list[Person] = []
        placed: set[int] = set()
        for p in active:
            unit = p.unit
            if unit in valid:
                tenure = day.year - p.rows[-1][2].year
                if not full or rng.random() >= self.move_p.get(min(tenure, max(self.move_p)), 0.0):
                    continue
                if p.seat is None:
                    freed.append(unit)
            else:
                closed = self.spec.by_code[unit]
                target = self.spec.by_path.get(closed.merged_into) if closed.merged_into else None
                if target is not None and p.seat is None and p.grade > 4:
                    code = self.leaf_under(target, day)
                    if self.may_sit(p, code):
                        placed.add(p.idx)
                        self.move(p, code, self.staff_position(p, day), day)
                        continue
            if p.seat and self.seat_holder.get(p.seat) == p.idx:
                del self.seat_holder[p.seat]
            # Heads (and unseated 担当課長 …) compete for vacant seats of their grade first.
            (seat_movers[p.grade] if p.grade in HEAD_GRADES else staff_movers).append(p)
        moving = {p.idx for group in seat_movers.values() for p in group} | {p.idx for p in staff_movers}
        self.open_seats(day)
        leftovers = self.fill_seats(day, seat_movers, placed, freed, moving)
        hires: list[Person] = []
        for gone in leavers:
            job = gone.job
            for code, replaces, share, since in self.replacements:
                if job == replaces and day >= since and rng.random() < share:
                    job = code
            hires.append(self.new_person(day, job))
        pool = [code for code in freed if code in leaf_codes]
        new_leaves = [u for u in leaves if u.code not in self.prev_leaves]
        staff_count = sum(1 for p in self.people if p.active and p.seat is None)
        per_weight = staff_count / max(1.0, sum(u.weight for u in leaves))
        priority = [u.code for u in new_leaves for _ in range(max(1, round(u.weight * per_weight)))]
        incoming = [p for p in staff_movers if p.idx not in placed] + leftovers + hires
        rng.shuffle(incoming)
        self.place(incoming, pool, priority, day, placed)
        self.prev_leaves = leaf_codes

    def run(self) -> Plan:
        self.initial()
        change_days = {d for d in self.spec.change_dates() if self.base < d <= self.today}
        for day in sorted(set(self.rounds) | change_days):
            self.step(day, full=day in self.rounds)
        logins = self.pick_logins()
        return Plan(self.spec, self.today, self.base, self.rounds, self.people, logins)

    # ---- demo logins ----------------------------------------------------------------------------------------
    def pick_logins(self) -> list[LoginPick]:
        """One person per role (staffing.yaml demo_logins); when the data has nobody fitting, place someone."""
        today = self.today
        last_round = self.rounds[-1]
        chosen: set[int] = set()
        picks = []
        by_code = self.spec.by_code
        active = sorted((p for p in self.people if p.active), key=lambda p: p.number)
        for item in self.params["demo_logins"]:
            root = self.spec.by_path[item["unit"]]
            inside = {
                u.code
                for u in self.spec.valid_units(today)
                if u.path == root.path or u.path.startswith(root.path + "/")
            }
            want_pos = item.get("position")
            kind = item.get("unit_kind")

            def fits(p: Person, want_pos=want_pos, kind=kind, inside=inside) -> bool:
                if p.idx in chosen or p.unit not in inside:
                    return False
                if kind and by_code[p.unit].kind != kind:
                    return False
                if want_pos:
                    return self.position_names[p.rows[-1][1]] == want_pos
                return p.grade >= 5

            person = next((p for p in active if fits(p)), None)
            if person is None:  # small data sets: put someone there (a transfer on the last April 1)
                free = [p for p in active if p.idx not in chosen and p.seat is None]
                person = next((p for p in free if p.unit in inside), free[0] if free else active[0])
                targets = sorted((by_code[c] for c in inside), key=lambda u: u.sort_order)
                target = next((u for u in targets if not kind or u.kind == kind), root)
                if want_pos:
                    position = next(p["code"] for p in self.spec.positions if p["name"] == want_pos)
                else:
                    target = by_code[self.leaf_under(target, today)]
                    position = self.unseated[max(person.grade, 5)]
                self.move(person, target.code, position, last_round)
            chosen.add(person.idx)
            picks.append(
                LoginPick(
                    role=item["role"],
                    person=person,
                    scope=item.get("scope"),
                    is_staff=bool(item.get("is_staff")),
                    is_superuser=bool(item.get("is_superuser")),
                    groups=list(item.get("groups") or []),
                )
            )
        return picks


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def simulate(spec: OrgSpec, *, employees: int, years: int, seed: int, today: dt.date) -> Plan:
    return Simulation(spec, employees=employees, years=years, seed=seed, today=today).run()
