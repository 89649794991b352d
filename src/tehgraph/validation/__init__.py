"""SHACL validation: a report model and two engines behind one registry.

- report.py: Violation and ValidationResult, what every engine's report becomes (and what the
  build writes to dist/validation.json); importing it loads no engine.
- engine.py: the registry of engines, `validate_graph`, `validate_project`, `validate_data`.
- sparql_*.py: the shapes compiled to SPARQL and run on pyoxigraph, the fast engine.
- pyshacl_engine.py: pySHACL, the reference the fast engine is tested against.
"""
