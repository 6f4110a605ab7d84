"""Every write of the projects app: the project workflow (`projects.py`), the support desk (`consultations.py`) and
the case library (`cases.py`). Import from here: `from dxtalent.projects import services`."""

from .cases import *  # noqa: F403
from .consultations import *  # noqa: F403
from .projects import *  # noqa: F403
