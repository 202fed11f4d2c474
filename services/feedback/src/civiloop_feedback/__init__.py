"""The feedback service. 老百姓评单: ratings, follow-ups of bad service, satisfaction."""
