"""Safe XML parsing and the official schemas, shared by every pipeline stage."""
