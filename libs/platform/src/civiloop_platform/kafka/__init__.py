"""Kafka with safe settings: producer and consumer factories, topics, dead letters."""
