"""Bundled demo data: the fictional Marsden Vale safeguarding scenario (see docs/demo.md)."""
