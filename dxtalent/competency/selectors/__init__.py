"""Reads of the competency app, scoped to the user, each in a fixed number of queries.

`assessments.py`: which assessments a user may see (the person, the evaluator, hr, secretariat), my lists, one
assessment with its radar; `campaigns.py`: campaigns and their people; `aggregates.py`: cohort pre/post averages and
group gaps (database aggregates by item and rater); `people.py`: 所属 labels and default evaluators (所属長).
"""
