"""The overview: headcount per stage (chart + table), stage × hire route, ready / long stays, pending promotions."""

from django.shortcuts import render

from dxtalent.org import access
from dxtalent.org.access import Action

from ..selectors.ladder_home import distribution, pending_promotions, visible_people
from ..selectors.ladder_person import label_promotions, stage_names
from .common import NO_PACK, pack_and_day


@access.require(Action.VIEW_DASHBOARD)
def home(request):
    pack, day = pack_and_day()
    context = {"day": day, "crumbs": [("高度デジタル人材の育成", None)], "no_pack": NO_PACK if pack is None else ""}
    if pack is not None:
        d = distribution(pack=pack, day=day)
        rows_ok = access.may(request.user, Action.VIEW_EXPERT_RECORDS)
        context.update(
            d=d,
            route_rows=[
                (name, [s.by_route[i] for s in d.stages], d.route_totals[i]) for i, (_c, name) in enumerate(d.routes)
            ],
            chart=d.chart(),
            pack=pack,
            stage_names=stage_names(pack),
            ready_people=visible_people(request.user, d.ready_ids) if rows_ok else [],
            long_people=visible_people(request.user, d.long_stay_ids) if rows_ok else [],
            pending=label_promotions(pending_promotions(request.user), pack) if rows_ok else [],
            can_enter=access.may(request.user, Action.MANAGE_OJT),
        )
    return render(request, "experts/ladder_home.html", context)
