"""Demo and scale data of improvement projects (業務改善), the support desk and the case library.

Hooks called by `dxtalent.org.demo.builder` after the org data, the training catalog and the leader programme,
inside the same transaction.

`load_demo` plays this 年度 up to yesterday THROUGH THE SERVICES, each action under
`dxtalent.training.demo_data.clock(day)` and with `at=` (back-dated rows, history and "today" checks all carry the
day it happened). The scenario is data: dxtalent/projects/demo/projects.yaml and desk.yaml; step names, owners
and the kind lists come from the policy pack. Dates fall between the day after this 年度's cohort was formed and
yesterday, in the order the scenario gives (nothing in the future; nothing before the cohort exists).

1. The policy's worked example, exactly: 照会業務の進捗管理の可視化・DB化 (problem, As-Is, To-Be, step 2 = 5 h,
   step 3 = 15 h with the groupware task app, operating rule, 18 → 8 h/month = 10 h/month saved, the qualitative
   effect), verified, DONE and published as a case. Who runs it: certified leaders do not exist yet in the demo's
   timeline (第1期 trains this 年度 and is certified in March), so its leader is a trainee. In order of
   preference: the demo leader login when it sits in the demo manager's 課; else a trainee sitting in the demo
   manager's 課 (manager = the demo manager login); else the demo leader login's 課, managed by that 課's 課長.
   With the standard demo (seed 1, 2,000 or 600 staff) the demo leader (東区 地域振興部) and the demo manager
   (東区 市民部) are in different 課 and no trainee sits in the manager's 課, so the third rule applies: the
   example belongs to the demo leader login's 課, managed by its 課長 (`load_demo` prints the rule it used).
   The demo manager login has its own: a problem recorded without a leader yet, and an adoption (横展開) of
   the worked example's case started in its 課.
2. Practice groups whose theme belongs to a 課 become that 課's project (group linked), led by a group member
   sitting there, in steps 1–2.
3. The scenario's other projects, each in the 課 of the trainee who leads it (the demo leader first), in every
   step: some sent back once with a reason, one cancelled, about ten DONE with verified savings (one negative:
   the work grew), six of them published.
4. Three other 課 start from the worked example's case (横展開): one reaches DONE with its own saving.
5. The support desk: consultations of every kind and status, with threads, some linked to projects and cases.

People act through their own logins: the 課長 of each project's 課 gets the manager role for that 課 and each
trainee leading a project the leader role (as the demo leader login has); logins are made only where missing,
with the demo password (see `people.py`).

`generate_scale_data` bulk-inserts 2,000 projects (with their step events), about 1,000 consultations with
messages and 500 published cases on the city-scale data (see `scale.py`), then indexes the cases for search.
"""

from .scale import generate_scale_data
from .story import load_demo

__all__ = ["generate_scale_data", "load_demo"]
