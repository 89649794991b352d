"""OWL RL inference: two engines behind one registry (engine.py), both on a pyoxigraph store.

- schema.py + families.py: the fast engine (the small schema read out of the store and closed by
  owlrl, the instances by one SPARQL update per rule family inside Oxigraph).
- owlrl_engine.py: owlrl's closure of the whole graph, the reference the fast engine is tested against.
"""
