"""Alert: rules kept as profile data, evaluated by named recipes, each alert explaining itself."""

from joinedup.alerts.engine import alert_id, evaluate_rules

__all__ = ["alert_id", "evaluate_rules"]
