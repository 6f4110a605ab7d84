from .selectors import reset_snapshots


class OrgSnapshotMiddleware:
    """Org-tree snapshots are memoised per request: start every request with a fresh memo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset_snapshots()
        try:
            return self.get_response(request)
        finally:
            reset_snapshots()
