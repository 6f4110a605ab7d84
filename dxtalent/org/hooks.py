"""Names the org pages show but do not own: the pack (a higher app) names the hire routes (採用区分・育成経路).

`dxtalent.policy` registers a provider at start-up (PolicyConfig.ready), so org never imports it.
"""

from collections.abc import Callable

_route_names: list[Callable[[], dict[str, str]]] = []


def register_hire_route_names(provider: Callable[[], dict[str, str]]) -> None:
    if provider not in _route_names:
        _route_names.append(provider)


def hire_route_label(code: str) -> str:
    """The route's name in the policy pack; "未登録" for none; the code itself if no pack knows it."""
    if not code:
        return "未登録"
    for provider in _route_names:
        name = provider().get(code)
        if name:
            return name
    return code
