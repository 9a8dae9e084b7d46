"""Pages of messaging, one file per part (reads only; writes go through the API)."""
