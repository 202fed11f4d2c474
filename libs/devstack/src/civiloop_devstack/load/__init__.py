"""The station load generator: simulated stations, volunteers and residents around the loop."""
