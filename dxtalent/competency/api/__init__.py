"""API of the competency app (/api/v1/): frameworks (from the pack), campaigns, assessments, ratings, evidence.

The same services and selectors as the pages: an assessment the user may not see is 404 (like a missing one),
bad levels are 400 with field errors, rating for someone else is 403, closed campaigns are 409.
"""
