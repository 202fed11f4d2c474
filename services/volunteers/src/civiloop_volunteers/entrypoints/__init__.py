"""How the world reaches the volunteers service: HTTP routes and Kafka subscriptions."""
