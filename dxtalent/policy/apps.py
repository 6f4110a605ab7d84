from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "dxtalent.policy"
    label = "policy"
    verbose_name = "育成方針（ポリシーパック）"
