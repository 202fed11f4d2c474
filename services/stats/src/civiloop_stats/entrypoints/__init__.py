"""How the world reaches the stats service: HTTP routes and Kafka subscriptions."""
