"""Demo and scale data of the DX推進リーダー programme (②).

Hooks called by `dxtalent.org.demo.builder` after the org data and the training catalog, inside the same
transaction.

`load_demo` plays this 年度's cohort up to today THROUGH THE SERVICES, each step under
`dxtalent.training.demo_data.clock(day)` so the services see the day it happened (window open/closed checks, "no
attendance for a future session", timestamps and change history):

1. the secretariat opens this 年度's nomination window and sets each 局区's quota (the quota suggestion × the
   scenario's margin); each nominating 局区 gets a 局区担当 login (the demo one for 東区, others created here with
   the same demo password); the liaisons nominate (requirements ticked, recommendations from the scenario's
   phrases); 東区 withdraws one and edits another before the deadline;
2. after the deadline the secretariat selects the pack's cohort size (選定), the rest 補欠 / 見送り with reasons,
   and forms 第N期 (N from the pack); its sessions are scheduled from the pack (phase months, hours);
3. everyone but `prelearning.missing` finishes the e-learning prerequisite before the first マインドセット
   session; sessions up to today are held with attendance (a few 欠席 and 遅刻・早退, one 補講);
4. practice groups are proposed and saved (groups_propose + groups_save) and get themes (themes.yaml);
5. next 年度's window is open, with the suggested quotas (× `next_window.quota_margin`) and the 東区 liaison's
   first nominations.
No certification: that happens at the end of the 年度. The demo leader login is a trainee of the cohort. Nothing
happens after today: early in the 年度 the window and selection move up to the days before today (before 4 April
there is no cohort yet), attendance and the prerequisite go only up to today, and the groups are formed
today when their planned day (weeks before the practice phase) has not come yet.

The scenario (dates, counts, phrases) is data: dxtalent/leaders/demo/programme.yaml and themes.yaml. Policy numbers
(cohort size, curriculum, group sizes) come from the pack.

`generate_scale_data` bulk-inserts the pack's planned cohorts (six of 35 for Sapporo) for the benchmarks: windows,
nominations, members with their enrollments, every cohort's sessions, practice groups, attendance, the
prerequisite, and certifications with leader roles for every cohort but the last (dated at the end of each
training 年度, so some lie in the future: volume for the dashboard and the API, not a story).
"""

from .scale import generate_scale_data
from .story import load_demo

__all__ = ["generate_scale_data", "load_demo"]
