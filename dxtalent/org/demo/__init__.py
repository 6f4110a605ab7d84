"""Demo and city-scale data: the org chart, job types and positions as YAML, staff and transfers simulated.

* `sapporo_org.yaml` — the org tree (effective-dated), job types, positions.
* `staffing.yaml` — transfer rules, promotion thresholds, the demo logins per role.
* `spec.py` reads the YAML; `simulate.py` builds people and their history in memory (deterministic);
  `builder.py` writes the result through the org services and bulk inserts.

Commands: `load_demo` (make run), `generate_scale_data` (benchmarks), `demo_logins`.
"""
