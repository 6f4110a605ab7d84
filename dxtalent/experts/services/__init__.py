"""Every write of the experts app: the ③ ladder, OJT plans and reviews, promotions, ジョブチャレンジ."""

from .applications import *  # noqa: F403
from .ladder import *  # noqa: F403
from .plans import *  # noqa: F403
from .postings import *  # noqa: F403
from .promotions import *  # noqa: F403
