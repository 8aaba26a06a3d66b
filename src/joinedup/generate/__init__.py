"""Fictional safeguarding scenarios with ground truth, for tests and benchmarks.

The public surface is re-exported here; see docs/generator.md for the report and truth formats
and the definitions of the expected alerts.
"""

from joinedup.generate.alerts import arrival_key
from joinedup.generate.prose import narratives_only
from joinedup.generate.scenario import (
    Scenario,
    generate_scenario,
    generate_to_files,
    iter_scenario_reports,
    new_truth,
    write_scenario,
    write_truth,
)

__all__ = [
    "Scenario",
    "arrival_key",
    "generate_scenario",
    "generate_to_files",
    "iter_scenario_reports",
    "narratives_only",
    "new_truth",
    "write_scenario",
    "write_truth",
]
