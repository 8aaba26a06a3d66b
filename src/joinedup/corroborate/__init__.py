"""Corroborate: who and what is attested by how many *independent* sources.

Independence is counted here and nowhere else: see :func:`independence_key`.
"""

from joinedup.corroborate.picture import Picture, Tie, build_picture, corroboration_rows

__all__ = ["Picture", "Tie", "build_picture", "corroboration_rows"]
