"""API of the ③ OJT ladder (/api/v1/ladder/…, /api/v1/ojt-plans/…, /api/v1/promotions/…).

The same services and selectors as the pages: rows scoped like the pages (an invisible person, plan or promotion
is 404), 400 with field errors for bad input, 403 for users who may not act (not the mentor, not the head),
409 for illegal workflow steps (a second pending promotion, the top stage, an already decided promotion).
"""
