"""Demo data: a district with two schools, their people and a semester of records.

The top room: it may import every other room of core, and nothing in core imports it but the
app factory (for the `flask demo` command).
"""

from contactbook.core.demo.seed import DEMO_SIGN_INS, cli

__all__ = ["DEMO_SIGN_INS", "cli"]
