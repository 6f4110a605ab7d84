"""Header and navigation for every page: the user's name, roles, and the menu items their roles allow."""

from django.urls import reverse

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("home", "ホーム", reverse("home"))]
    if access.may(user, access.Action.VIEW_ORG_TREE):
        items.append(("org", "組織", reverse("org:tree")))
    if access.may(user, access.Action.VIEW_EMPLOYEE_LIST):
        items.append(("employees", "職員", reverse("org:employee_list")))
    me = access.employee_of(user)
    if me is not None:
        items.append(("me", "わたしの情報", reverse("org:employee_detail", args=[me.pk])))
    if access.may(user, access.Action.VIEW_CATALOG):
        items.append(("training", "研修", reverse("training:catalog")))
    items.append(("leaders", "DX推進リーダー", reverse("leaders:home")))
    if access.may(user, access.Action.VIEW_PROJECTS):
        items.append(("projects", "業務改善", reverse("projects:list")))
    if access.may(user, access.Action.VIEW_CONSULTATIONS):
        items.append(("desk", "相談窓口", reverse("desk:list")))
    if access.may(user, access.Action.VIEW_LIBRARY):
        items.append(("library", "事例集", reverse("library:search")))
    if access.may(user, access.Action.VIEW_ASSESSMENTS):
        items.append(("competency", "マインド・スキル評価", reverse("competency:mine")))
    if access.may(user, access.Action.VIEW_DASHBOARD):
        items.append(("experts", "高度デジタル人材", reverse("experts:home")))
    if access.may(user, access.Action.VIEW_POSTINGS):
        items.append(("jobs", "ジョブチャレンジ", reverse("jobs:list")))
    if access.may(user, access.Action.VIEW_DASHBOARD):
        items.append(("dashboard", "育成状況", reverse("kpi:dashboard")))
    if access.may(user, access.Action.IMPORT_ROSTER):
        items.append(("import", "名簿取込", reverse("org:import_roster")))
    if access.may(user, access.Action.USE_ADMIN):
        items.append(("admin", "マスタ管理", reverse("admin:index")))
    return {"nav_items": items, "user_roles": access.role_labels(user), "nav_employee": me}
