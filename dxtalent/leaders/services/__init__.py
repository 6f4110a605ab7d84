"""Every write of the DX推進リーダー programme (DESIGN.md: services), one module per area, re-exported here.

- nominations.py: nomination windows, quotas, nominations and the secretariat's decisions (選定)
- cohorts.py: forming 第N期, adding reserves, scheduling the curriculum's sessions
Other modules of this package (groups, certification, roles) append their own re-export line below.
"""

from .certification import *  # noqa: F403
from .cohorts import *  # noqa: F403
from .groups import *  # noqa: F403
from .nominations import *  # noqa: F403
from .roles import *  # noqa: F403
