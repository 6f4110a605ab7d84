"""Every write of the competency app: campaigns (`campaigns.py`) and ratings/evidence (`ratings.py`).
Import from here: `from dxtalent.competency import services`."""

from .campaigns import *  # noqa: F403
from .ratings import *  # noqa: F403
