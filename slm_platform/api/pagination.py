"""List endpoints page with ?limit= and ?offset= (DRF's LimitOffsetPagination).

A limit has a ceiling: a page is at most MAX_PAGE_SIZE rows, and a limit past what the
database's integers hold (?limit=10**21) is a full page, not an overflow in SQL (500). An offset
past the end is already an empty page before any query is sliced.
"""

from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 1000


class LimitOffsetPaginationWithCeiling(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE
