"""The support desk (案件相談・伴走支援) under /desk/."""

app_name = "desk"
urlpatterns: list = []
