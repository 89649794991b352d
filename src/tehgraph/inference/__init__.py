"""OWL RL inference: two engines behind one registry (engine.py).

- rules.py: the fast engine (the small schema closed by owlrl, the instances by an indexed worklist).
- owlrl_engine.py: owlrl's closure of the whole graph, the reference the fast engine is tested against.
"""
