"""The stats service. District figures computed from every topic (read models only)."""
