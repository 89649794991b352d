"""Full-text search over the built graph: an SQLite FTS5 index with French stemming.

`build_index(store, path)` reads every resource worth finding with one SPARQL query and writes
one SQLite file; `SearchIndex(path)` answers ranked, paged, faceted and highlighted searches and
type-ahead picks. Modules, one responsibility each:

- `text`: folding, words and compounds, stems, the exact-match key
- `documents`: the SPARQL query's rows grouped into one document per resource
- `schema`: the layout of the index file and the weights of its fields
- `indexer`: writing the file (streamed, one transaction, moved into place when complete)
- `expression`: user text to a safe FTS5 MATCH expression
- `highlight`: matched words marked in the original text; HTML through markupsafe
- `suggest`: close indexed words for a query that finds nothing
- `searcher`: `SearchIndex` (search, pick, suggest)
"""

from .documents import Document, read_documents
from .expression import ParsedQuery, parse_query
from .highlight import Segment, to_html
from .indexer import INDEX_FILE, IndexStats, build_index, write_index
from .searcher import Hit, SearchIndex, SearchResult

__all__ = [
    "INDEX_FILE",
    "Document",
    "Hit",
    "IndexStats",
    "ParsedQuery",
    "SearchIndex",
    "SearchResult",
    "Segment",
    "build_index",
    "parse_query",
    "read_documents",
    "to_html",
    "write_index",
]
