"""What tests and benchmarks share: a real Oxigraph server, the backend comparison, synthetic projects.

tests/ and benchmarks/ never import each other; both import from here.
"""
