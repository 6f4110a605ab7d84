"""Demo and scale data of issue 5: competency assessments (② and ③), the ③ OJT ladder, hire routes and
ジョブチャレンジ. Hooks called by `dxtalent.org.demo.builder` after the leaders' data (this 年度's cohort exists)
and before the projects', inside the same transaction. The scenario is data: dxtalent/experts/demo/experts.yaml.

See `story.py` (load_demo) and `scale.py` (generate_scale_data).
"""

from .scale import generate_scale_data
from .story import load_demo

__all__ = ["generate_scale_data", "load_demo"]
