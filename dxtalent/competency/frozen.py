"""Typed view of a campaign's FROZEN framework (`Campaign.framework`, the pack's raw dict at creation time).

Every rating is checked against this copy, never against today's pack: a later pack with changed items or levels
does not touch old campaigns. The parsing is the pack's own (`TalentPackMixin.frameworks`), fed with the copy.
"""

from dxtalent.policy.pack_talent import Framework, TalentPackMixin


class _OneFramework(TalentPackMixin):
    def __init__(self, raw: dict):
        self.raw = {"competency": {"frameworks": [raw]}}


def parse_framework(raw: dict) -> Framework:
    return _OneFramework(raw).frameworks[0]


def framework_of(campaign) -> Framework:
    """The campaign's frozen framework (parsed once per campaign object)."""
    cached = campaign.__dict__.get("_dx_framework")
    if cached is None:
        cached = parse_framework(campaign.framework)
        campaign.__dict__["_dx_framework"] = cached
    return cached


def items_in_order(framework: Framework):
    """Mindsets first, then skills (the order of the pages and exports)."""
    return framework.mindsets + tuple(i for i in framework.items if i.kind != "mindset")


def levels_text(framework: Framework) -> str:
    levels = framework.levels
    return f"{min(levels)}〜{max(levels)}" if levels else "—"
