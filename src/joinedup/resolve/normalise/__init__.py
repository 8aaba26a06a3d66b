"""Normalisers applied before record linkage: one spelling for each phone, plate, name,
postcode and date, so that comparisons see what was meant rather than how it was typed."""

from joinedup.resolve.normalise.dates import (
    birth_year_range,
    born_between,
    day_of,
    overlap,
    parse_partial_date,
)
from joinedup.resolve.normalise.names import (
    first_name_alternatives,
    first_name_key,
    fold_words,
    name_variants_table,
    normalise_alias,
    split_name,
    surname_key,
)
from joinedup.resolve.normalise.phones import normalise_phone
from joinedup.resolve.normalise.plates import (
    Plate,
    as_current_start,
    full_plate_matcher,
    known_characters,
    normalise_plate,
    plate_blocking_keys,
    plates_compatible,
)
from joinedup.resolve.normalise.postcodes import (
    normalise_postcode,
    postcode_area,
    postcode_district,
)

__all__ = [
    "Plate",
    "as_current_start",
    "birth_year_range",
    "born_between",
    "day_of",
    "first_name_alternatives",
    "first_name_key",
    "fold_words",
    "full_plate_matcher",
    "known_characters",
    "name_variants_table",
    "normalise_alias",
    "normalise_phone",
    "normalise_plate",
    "normalise_postcode",
    "overlap",
    "parse_partial_date",
    "plate_blocking_keys",
    "plates_compatible",
    "postcode_area",
    "postcode_district",
    "split_name",
    "surname_key",
]
