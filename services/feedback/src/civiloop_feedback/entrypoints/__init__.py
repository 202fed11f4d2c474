"""How the world reaches the feedback service: HTTP routes and Kafka subscriptions."""
