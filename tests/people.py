from dxtalent.core.roles import Role
from tests import factories as f


def build_people(city):
    """One login per role over the small city, plus plain staff in 東区 and 北区."""
    kacho = f.position("課長", rank=30, is_manager=True)
    p = {"units": city}
    p["higashi_staff"] = f.employee(city["higashi_koseki"], name="東 花子", kana="ヒガシ ハナコ")
    p["higashi_other_ka"] = f.employee(city["higashi_hoken"], name="保険 次郎", kana="ホケン ジロウ")
    p["kita_staff"] = f.employee(city["kita_koseki"], name="北 一郎", kana="キタ イチロウ")
    p["jinji_staff"] = f.employee(city["somu_jinjika"], name="人事 三郎", kana="ジンジ サブロウ")
    users = {}
    users[Role.SECRETARIAT] = f.login(
        f.employee(city["somu_jinjika"], name="事務局 員", kana="ジムキョク イン"), Role.SECRETARIAT
    )
    users[Role.HR] = f.login(f.employee(city["somu_jinjika"], name="人事 担当", kana="ジンジ タントウ"), Role.HR)
    users[Role.LIAISON] = f.login(
        f.employee(city["higashi_koseki"], name="東区 担当", kana="ヒガシク タントウ"),
        Role.LIAISON,
        scope_unit=city["higashi"],
    )
    users[Role.MANAGER] = f.login(
        f.employee(city["higashi_koseki"], name="戸籍 課長", kana="コセキ カチョウ", pos=kacho), Role.MANAGER
    )
    users[Role.LEADER] = f.login(
        f.employee(city["kita_koseki"], name="リーダー 四郎", kana="リーダー シロウ"), Role.LEADER
    )
    users[Role.EMPLOYEE] = f.login(p["higashi_staff"], Role.EMPLOYEE)
    users[Role.SYSADMIN] = f.login(None, Role.SYSADMIN)
    p["users"] = users
    return p
