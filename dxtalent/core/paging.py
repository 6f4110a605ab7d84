"""Small pieces every paged list shares: previous/next page numbers and a filter's query-string dict."""


class PageLinks:
    """Mixin for a page dataclass with `page` and `pages`: the neighbouring page numbers, or None at the ends."""

    page: int
    pages: int

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


class FilterParams:
    """Mixin for a filter dataclass: its set fields (not None or blank), for links that keep the filters."""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}
