"""The case library (優良事例・横展開) under /library/."""

app_name = "library"
urlpatterns: list = []
