"""Resolve: decide which mentions across reports are the same person, place, vehicle or phone."""
