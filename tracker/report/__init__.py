"""The report for a clinician (PRODUCT.md §4.3): figures.py gathers the figures from the one
definition of each (progress, insights, outcomes); pdf.py lays them out on one A4 page; links.py
signs, finds and revokes the share links."""
