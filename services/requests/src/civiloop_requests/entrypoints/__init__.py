"""How the world reaches the requests service: HTTP routes and Kafka subscriptions."""
