"""Outcomes: rules.py (what a change means, summaries), records.py (saving)."""
