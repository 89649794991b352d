// tehgraph: small progressive enhancements (no inline scripts; pages work without this file).
// (The source page's line ranges and citing panel are source.js.)
