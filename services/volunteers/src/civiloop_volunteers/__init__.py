"""The volunteers service. 志愿者接单: the volunteer registry, teams, answers to orders, service hours and honours."""
