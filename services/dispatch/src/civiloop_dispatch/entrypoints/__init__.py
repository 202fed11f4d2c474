"""How the world reaches the dispatch service: HTTP routes and Kafka subscriptions."""
