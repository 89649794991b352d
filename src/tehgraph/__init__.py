"""tehgraph: a knowledge graph of French anti-trafficking policy."""

__version__ = "0.1.0"
