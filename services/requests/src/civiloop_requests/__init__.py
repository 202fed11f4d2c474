"""The requests service. 群众点单: orders from every station, their timelines, and needs surveys (需求调查)."""
