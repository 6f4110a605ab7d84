from django.apps import AppConfig


def _hire_route_names() -> dict[str, str]:
    from .selectors import NoPolicyPack, current_pack

    try:
        return {r.code: r.name for r in current_pack().hire_routes}
    except NoPolicyPack:
        return {}


class PolicyConfig(AppConfig):
    name = "dxtalent.policy"
    label = "policy"
    verbose_name = "育成方針（ポリシーパック）"

    def ready(self):
        from dxtalent.org.hooks import register_hire_route_names

        register_hire_route_names(_hire_route_names)
