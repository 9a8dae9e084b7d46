"""Pages of school administration, one file per part (reads only; writes go through the API)."""
