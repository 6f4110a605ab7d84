"""Load test of the staff pages and the API at city scale (see benchmarks/README.md).

At test start one login goes through the login form (CSRF token from the form page) as an all-scope user
(the secretariat demo login: every row is visible, so lists and searches do the most work); the simulated
users share that session, so the figures measure the pages, not 16 password hashes at once (PBKDF2 costs
about a second of CPU per login here). Each user then loops over the tasks below with a think time between
requests. Request names are stable so results compare across runs.

    BENCH_USERNAME   職員番号 to log in as (run.sh asks `manage.py demo_logins --username-for secretariat`)
    BENCH_PASSWORD   default: the demo password
    BENCH_WAIT       think time in seconds between a user's requests, "min,max" (default "1,2")
"""

import os
import random
import re

import requests
from locust import HttpUser, between, events, task
from locust.exception import StopUser

USERNAME = os.environ.get("BENCH_USERNAME", "")
PASSWORD = os.environ.get("BENCH_PASSWORD", "dxtalent-demo-2026")
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("BENCH_WAIT", "1,2").split(","))
PAST_DAY = "2020-04-01"
EMPLOYEE_LINK = re.compile(r'href="/employees/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


SHARED: dict = {"cookies": None, "employee_ids": [1], "leader_session": None, "assessment": None}


def _leader_session_id(session, host: str) -> int | None:
    """A session of the first cohort (35 trainees at scale) for the attendance-sheet task, if cohorts exist."""
    cohorts = session.get(f"{host}/api/v1/cohorts/", timeout=60)
    if cohorts.status_code != 200 or not cohorts.json().get("results"):
        return None
    run_id = cohorts.json()["results"][0]["run"]
    sessions = session.get(f"{host}/api/v1/training/sessions/", params={"run": run_id}, timeout=60)
    if sessions.status_code != 200:
        return None
    rows = sessions.json().get("results", [])
    return rows[0]["id"] if rows else None


def _assessment_id(session, host: str) -> int | None:
    """An assessment of a yearly ③ campaign (else of any campaign) for the radar task, if campaigns exist."""
    campaigns = session.get(f"{host}/api/v1/competency/campaigns/", timeout=60)
    if campaigns.status_code != 200 or not campaigns.json().get("results"):
        return None
    rows = campaigns.json()["results"]
    chosen = next((c for c in rows if c.get("kind") == "annual"), rows[0])
    found = session.get(
        f"{host}/api/v1/competency/assessments/", params={"campaign": chosen["id"], "page_size": 1}, timeout=60
    )
    if found.status_code != 200:
        return None
    results = found.json().get("results", [])
    return results[0]["id"] if results else None


@events.test_start.add_listener
def log_in_once(environment, **_kwargs):
    """One login for everybody: fetch the form, post 職員番号 and password with the CSRF token."""
    if not USERNAME:
        raise RuntimeError("BENCH_USERNAME を指定してください（manage.py demo_logins --username-for secretariat）")
    host = environment.host.rstrip("/")
    session = requests.Session()
    form = session.get(f"{host}/accounts/login/", timeout=60)
    match = CSRF_FIELD.search(form.text)
    token = match.group(1) if match else session.cookies.get("csrftoken", "")
    response = session.post(
        f"{host}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD},
        headers={"Referer": f"{host}/accounts/login/"},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise RuntimeError(f"ログインできません（HTTP {response.status_code}）: {USERNAME}")
    listing = session.get(f"{host}/employees/", timeout=60)
    SHARED["leader_session"] = _leader_session_id(session, host)
    SHARED["assessment"] = _assessment_id(session, host)
    SHARED["cookies"] = session.cookies
    SHARED["employee_ids"] = [int(x) for x in EMPLOYEE_LINK.findall(listing.text)] or [1]


class StaffUser(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        if SHARED["cookies"] is None:
            raise StopUser()  # the login at test start failed (see the log)
        self.client.cookies.update(SHARED["cookies"])
        self.employee_ids = SHARED["employee_ids"]

    @task(4)
    def employee_list(self):
        self.client.get("/employees/", name="employees: list")

    @task(2)
    def employee_list_deep_page(self):
        self.client.get(f"/employees/?page={random.randint(2, 400)}", name="employees: list page N")

    @task(3)
    def search_kana(self):
        self.client.get("/employees/?q=サト", name="employees: search kana サト")

    @task(3)
    def search_kanji(self):
        self.client.get("/employees/?q=佐藤", name="employees: search kanji 佐藤")

    @task(2)
    def employee_detail(self):
        self.client.get(f"/employees/{random.choice(self.employee_ids)}/", name="employees: detail")

    @task(2)
    def org_tree_today(self):
        self.client.get("/org/", name="org tree: today")

    @task(2)
    def org_tree_past(self):
        self.client.get(f"/org/?as_of={PAST_DAY}", name=f"org tree: as_of {PAST_DAY}")

    @task(3)
    def api_employees_search(self):
        self.client.get("/api/v1/employees/?search=サト&page_size=50", name="api: employees search サト")

    @task(1)
    def api_org_units_past(self):
        self.client.get(f"/api/v1/org-units/?as_of={PAST_DAY}", name=f"api: org-units as_of {PAST_DAY}")

    # --- the leader programme and training (issue 3) -------------------------------------------------

    @task(2)
    def programme_dashboard(self):
        self.client.get("/dashboard/", name="programme: dashboard")

    @task(2)
    def api_programme_kpis(self):
        self.client.get("/api/v1/kpi/programme/", name="programme: api kpi")

    @task(2)
    def training_catalog(self):
        self.client.get("/training/", name="training: catalog")

    @task(1)
    def attendance_sheet(self):
        if SHARED["leader_session"]:
            self.client.get(
                f"/training/manage/sessions/{SHARED['leader_session']}/attendance/",
                name="training: attendance sheet (cohort session)",
            )

    # --- improvement projects, the case library and the roll-ups (issue 4) ----------------------------

    @task(2)
    def library_search_2(self):
        self.client.get("/library/?q=照会", name="library: search 照会 (2 chars)")

    @task(2)
    def library_search_4(self):
        self.client.get("/library/?q=タスク管理", name="library: search タスク管理 (4 chars)")

    @task(2)
    def api_cases_search(self):
        self.client.get("/api/v1/cases/?q=照会", name="api: cases search 照会")

    @task(2)
    def project_list(self):
        self.client.get("/projects/", name="projects: list")

    @task(2)
    def api_projects(self):
        self.client.get("/api/v1/projects/", name="api: projects list")

    @task(2)
    def rollups_dashboard(self):
        self.client.get("/projects/rollups/", name="projects: roll-up dashboard")

    # --- competency assessments, the ③ OJT ladder and ジョブチャレンジ (issue 5) ----------------------------

    @task(2)
    def competency_radar(self):
        if SHARED["assessment"]:
            self.client.get(f"/competency/assessments/{SHARED['assessment']}/", name="competency: radar (assessment)")

    @task(1)
    def api_competency_assessment(self):
        if SHARED["assessment"]:
            self.client.get(
                f"/api/v1/competency/assessments/{SHARED['assessment']}/", name="competency: api assessment"
            )

    @task(2)
    def competency_cohort(self):
        self.client.get("/competency/cohort/", name="competency: cohort pre/post")

    @task(2)
    def experts_home(self):
        self.client.get("/experts/", name="experts: stage distribution")

    @task(1)
    def api_ladder_stages(self):
        self.client.get("/api/v1/ladder/stages/", name="experts: api stages")

    @task(2)
    def job_postings(self):
        self.client.get("/jobs/", name="jobs: posting list")

    @task(1)
    def api_postings(self):
        self.client.get("/api/v1/postings/", name="jobs: api postings")
